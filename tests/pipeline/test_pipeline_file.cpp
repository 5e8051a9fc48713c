#include <gtest/gtest.h>

#include "axon/pipeline/pipeline_file.hpp"

namespace pl = axon::pipeline;

namespace {
// The message of the error the text raises ("" if none).
std::string error_of(const std::string& text) {
  try {
    pl::parse_pipeline(text, "p.yaml");
  } catch (const pl::PipelineError& e) {
    EXPECT_EQ(e.code(), axon::ExitCode::invalid_input);
    return e.what();
  }
  return "";
}
const std::string kHead = "name: t\ninputs:\n  bold: sub-{subject}_bold.nii.gz\nsubjects: ['01', '02']\nsteps:\n";
}  // namespace

TEST(PipelineFile, ParsesEverything) {
  auto p = pl::parse_pipeline(kHead +
                                  "  mean:\n    tool: axon-image\n    command: tmean\n    inputs: {SERIES: bold}\n"
                                  "    outputs: {OUT: desc-mean_bold.nii.gz}\n    resources: {threads: 2, memory: 1.5G}\n"
                                  "    options:\n      kind: [a, b]\n",
                              "p.yaml");
  EXPECT_EQ(p.name, "t");
  ASSERT_EQ(p.steps.size(), 1u);
  const auto& s = p.steps[0];
  EXPECT_EQ(s.tool, "axon-image");
  EXPECT_EQ(s.pos.line, 6);
  EXPECT_EQ(s.threads, 2);
  EXPECT_EQ(s.memory_mb, 1536);
  EXPECT_EQ(s.options[0].values, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(s.options[0].is_list);
  EXPECT_EQ(s.options[0].pos.line, 13);
  EXPECT_EQ(p.entity_values.at("subject"), (std::vector<std::string>{"01", "02"}));
}

TEST(PipelineFile, ErrorsPointAtTheLine) {
  EXPECT_EQ(error_of(kHead + "  a:\n    tool: axon-image\n    command: tmean\n    outputs: {OUT: x}\n    colour: red\n"),
            "p.yaml:10: unknown field 'colour' in step 'a' (fields: tool, command, inputs, outputs, options, resources, datatype, report)");
  EXPECT_NE(error_of(kHead + "  a:\n    tool: axon-image\n    outputs: {OUT: x}\n").find("p.yaml:6: step 'a' names no command"),
            std::string::npos);
  EXPECT_NE(error_of(kHead + "  a:\n    tool: axon-image\n    command: x\n    outputs: {OUT: x}\n    resources: {threads: 0}\n")
                .find("p.yaml:10: resources: threads '0'"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nsteps: [\n").find("p.yaml:"), std::string::npos);
  EXPECT_NE(error_of(kHead + "  a:\n    tool: axon-image\n    command: x\n    outputs: {OUT: x, OUT: y}\n").find("p.yaml:9: 'OUT' appears twice"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nsubjects: [sub_01]\nsteps: {}\n").find("p.yaml:2: subjects: 'sub_01' is not a BIDS label"),
            std::string::npos);
}
