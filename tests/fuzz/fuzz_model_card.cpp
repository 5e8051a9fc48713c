// The model-card reader (lib/axon/learn/model_card.cpp, JSON through
// nlohmann-json). The card is written as card.json in a folder that also
// holds model.pt, so a card listing "models": ["model.pt"] gets past the
// check that its network files exist.
#include "axon/learn/model_card.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string card = axon::fuzz::scratch_path("card.json");
  static const bool model_written = [] {
    axon::fuzz::write_file(axon::fuzz::scratch_path("model.pt"), reinterpret_cast<const uint8_t*>("x"), 1);
    return true;
  }();
  (void)model_written;
  axon::fuzz::write_file(card, data, size);
  axon::fuzz::refuses_cleanly([&] {
    const axon::learn::ModelCard c = axon::learn::read_model_card(card);
    axon::learn::require_input_channels(c, {"t1", "t1ce", "t2", "flair"});
  });
  return 0;
}
