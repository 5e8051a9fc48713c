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
            "p.yaml:10: unknown field 'colour' in step 'a' (fields: tool, command, when, inputs, outputs, options, resources, datatype, report)");
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

// Routes chosen by a parameter: a step's when:, an input's {if, then, else},
// a parameter's choices.
TEST(PipelineFile, ConditionsAndChoices) {
  auto p = pl::parse_pipeline(
      "name: t\nparameters:\n  space: {default: mni, choices: [mni, native]}\n  atlas: aal\n"
      "inputs:\n  bold: sub-{subject}_bold.nii.gz\nsubjects: ['01']\nsteps:\n"
      "  mean:\n    tool: axon-image\n    command: tmean\n    when: \"{space}  ==native \"\n"
      "    inputs: {SERIES: bold}\n    outputs: {OUT: desc-mean_bold.nii.gz}\n"
      "  roi:\n    tool: axon-connectivity\n    command: roi\n"
      "    inputs:\n      bold: {if: '{space} == native', then: mean.OUT, else: [bold]}\n"
      "    options:\n      atlas: {if: '{space} != native', then: '{atlas}'}\n    outputs: {out: conn}\n",
      "p.yaml");
  ASSERT_EQ(p.parameters.size(), 2u);
  EXPECT_EQ(p.parameters[0].default_value, "mni");
  EXPECT_EQ(p.parameters[0].choices, (std::vector<std::string>{"mni", "native"}));
  EXPECT_TRUE(p.parameters[1].choices.empty());
  const auto& when = p.steps[0].when;
  EXPECT_TRUE(when.given());
  EXPECT_EQ(when.left, "{space}");
  EXPECT_EQ(when.right, "native");
  EXPECT_TRUE(when.equal);
  EXPECT_EQ(when.pos.line, 12);
  EXPECT_FALSE(p.steps[1].when.given());
  const auto& bold = p.steps[1].inputs[0];
  EXPECT_EQ(bold.condition.text, "{space} == native");
  EXPECT_EQ(bold.values, (std::vector<std::string>{"mean.OUT"}));
  EXPECT_EQ(bold.otherwise, (std::vector<std::string>{"bold"}));
  EXPECT_TRUE(bold.otherwise_is_list);
  const auto& atlas = p.steps[1].options[0];
  EXPECT_FALSE(atlas.condition.equal);
  EXPECT_TRUE(atlas.otherwise.empty());
}

TEST(PipelineFile, ConditionErrorsPointAtTheLine) {
  const std::string step = "  a:\n    tool: axon-image\n    command: tmean\n    outputs: {OUT: x}\n";
  EXPECT_EQ(error_of(kHead + step + "    when: '{space} = native'\n"),
            "p.yaml:10: condition '{space} = native' is not of the form '{parameter} == value' or '{parameter} != value'");
  EXPECT_EQ(error_of(kHead + step + "    when: 'a == b == c'\n"),
            "p.yaml:10: condition 'a == b == c' is not of the form '{parameter} == value' or '{parameter} != value'");
  EXPECT_EQ(error_of(kHead + step + "    inputs: {SERIES: {then: bold}}\n"),
            "p.yaml:10: inputs of step 'a' 'SERIES': a choice needs if: and then: ({if: COND, then: VALUE, else: VALUE})");
  EXPECT_EQ(error_of(kHead + step + "    inputs: {SERIES: {if: 'a == b', then: bold, otherwise: x}}\n"),
            "p.yaml:10: unknown field 'otherwise' in inputs of step 'a' 'SERIES' (a choice is {if: COND, then: VALUE, else: VALUE})");
  // An output's name is never chosen by a condition.
  EXPECT_NE(error_of(kHead + "  a:\n    tool: axon-image\n    command: tmean\n    outputs: {OUT: {if: 'a == b', then: x}}\n")
                .find("p.yaml:9: outputs of step 'a' 'OUT' must be a single value"),
            std::string::npos);
  EXPECT_EQ(error_of("name: t\nparameters:\n  space: {default: x, choices: [mni, native]}\nsteps: {}\n"),
            "p.yaml:3: parameter 'space': the default 'x' is not one of its choices");
  EXPECT_EQ(error_of("name: t\nparameters:\n  space: {value: x}\nsteps: {}\n"),
            "p.yaml:3: unknown field 'value' in parameter 'space' (fields: default, choices)");
}
