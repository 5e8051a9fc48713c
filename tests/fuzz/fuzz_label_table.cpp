// The atlas label-table reader (lib/axon/io/label_table.cpp): "index name"
// text tables and BIDS dseg.tsv.
#include "axon/io/label_table.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = axon::fuzz::scratch_path("labels.txt");
  axon::fuzz::write_file(path, data, size);
  axon::LabelTable table;
  if (!axon::fuzz::refuses_cleanly([&] { table = axon::read_label_table(path); })) return 0;
  if (table.names.count(0)) axon::fuzz::fail("the background label 0 is listed");
  for (int32_t label : {-1, 0, 1, 2, 255, 2147483647}) (void)table.name_of(label);
  return 0;
}
