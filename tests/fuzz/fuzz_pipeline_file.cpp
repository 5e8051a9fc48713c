// The pipeline file parser (lib/axon/pipeline/pipeline_file.cpp, YAML
// through yaml-cpp). Its public in-memory entry point parse_pipeline is what
// read_pipeline_file calls after reading the file. A refusal must be a
// PipelineError or InputError (axon::Error), never yaml-cpp's own.
#include "axon/pipeline/pipeline_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  axon::fuzz::refuses_cleanly([&] {
    const axon::pipeline::PipelineFile p = axon::pipeline::parse_pipeline(text, "fuzz.yaml");
    if (p.name.empty() || p.steps.empty()) axon::fuzz::fail("a pipeline without a name or steps was accepted");
  });
  return 0;
}
