// The TSV reader (lib/axon/io/tsv.cpp): confounds, events, participants.
// Every column is also read as numbers, as the confound strategies do.
#include "axon/io/tsv.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = axon::fuzz::scratch_path("table.tsv");
  axon::fuzz::write_file(path, data, size);
  axon::Table table;
  if (!axon::fuzz::refuses_cleanly([&] { table = axon::read_tsv(path); })) return 0;
  for (const auto& row : table.rows)
    if (row.size() != table.columns.size()) axon::fuzz::fail("a row's length differs from the header's");
  for (const auto& column : table.columns)
    axon::fuzz::refuses_cleanly([&] {
      for (double v : table.numeric(column, path)) (void)axon::format_number(v);
    });
  return 0;
}
