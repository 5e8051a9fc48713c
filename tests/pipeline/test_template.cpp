#include <gtest/gtest.h>

#include <regex>

#include "axon/pipeline/template.hpp"

namespace pl = axon::pipeline;

TEST(PipelineTemplate, NamesAndExpansion) {
  EXPECT_EQ(pl::template_names("sub-{subject}/x_{atlas}_{subject}.tsv"), (std::set<std::string>{"atlas", "subject"}));
  EXPECT_EQ(pl::expand_template("sub-{subject}_{{x}}", {{"subject", "01"}}), "sub-01_{x}");
  EXPECT_THROW(pl::expand_template("{atlas}", {}), pl::TemplateError);
  EXPECT_THROW(pl::template_names("a{b"), pl::TemplateError);
  EXPECT_THROW(pl::template_names("a}b"), pl::TemplateError);
  EXPECT_THROW(pl::template_names("{1x}"), pl::TemplateError);
}

TEST(PipelineTemplate, KeepUnknownLeavesAValidTemplate) {
  const std::string t = pl::expand_template("{atlas}/sub-{subject}_{{lit}}", {{"atlas", "aal"}}, true);
  EXPECT_EQ(t, "aal/sub-{subject}_{{lit}}");
  EXPECT_EQ(pl::expand_template(t, {{"subject", "02"}}), "aal/sub-02_{lit}");
}

TEST(PipelineTemplate, RegexRepeatsTheSameLabel) {
  std::vector<std::string> order;
  std::regex re(pl::template_regex("sub-{subject}/func/sub-{subject}_task-{task}_bold.nii.gz", order));
  EXPECT_EQ(order, (std::vector<std::string>{"subject", "task"}));
  std::smatch m;
  const std::string good = "sub-01/func/sub-01_task-rest_bold.nii.gz", bad = "sub-01/func/sub-02_task-rest_bold.nii.gz",
                    dots = "sub-01/func/sub-01_task-rest_boldXnii.gz";
  ASSERT_TRUE(std::regex_match(good, m, re));
  EXPECT_EQ(m[2].str(), "rest");
  EXPECT_FALSE(std::regex_match(bad, m, re));
  EXPECT_FALSE(std::regex_match(dots, m, re));  // '.' is literal
}

TEST(PipelineTemplate, OptionalEntitiesDropTheirChunk) {
  const std::string t = "sub-{subject}/ses-{session?}/func/sub-{subject}_ses-{session?}_task-{task}_run-{run?}_bold.nii";
  EXPECT_EQ(pl::template_names(t), (std::set<std::string>{"run", "session", "subject", "task"}));
  EXPECT_EQ(pl::expand_template(t, {{"subject", "01"}, {"task", "rest"}}), "sub-01/func/sub-01_task-rest_bold.nii");
  EXPECT_EQ(pl::expand_template(t, {{"subject", "01"}, {"session", "2"}, {"task", "rest"}, {"run", "3"}}),
            "sub-01/ses-2/func/sub-01_ses-2_task-rest_run-3_bold.nii");
  // Kept through the parameter pass, with its meaning.
  EXPECT_EQ(pl::expand_template("{space}/ses-{session?}/x", {{"space", "MNI"}}, true), "MNI/ses-{session?}/x");
  // An optional placeholder must follow an entity key.
  EXPECT_THROW(pl::template_names("sub-01_{session?}"), pl::TemplateError);
  EXPECT_THROW(pl::template_names("{session?}/x"), pl::TemplateError);
}

TEST(PipelineTemplate, OptionalEntitiesMatchWithAndWithout) {
  std::vector<std::string> order;
  std::regex re(pl::template_regex("sub-{subject}/ses-{session?}/func/sub-{subject}_ses-{session?}_task-{task}_bold.nii",
                                   order));
  EXPECT_EQ(order, (std::vector<std::string>{"subject", "session", "task"}));
  std::smatch m;
  const std::string with = "sub-01/ses-2/func/sub-01_ses-2_task-rest_bold.nii", without = "sub-01/func/sub-01_task-rest_bold.nii",
                    mixed = "sub-01/ses-2/func/sub-01_ses-3_task-rest_bold.nii",
                    half = "sub-01/func/sub-01_ses-2_task-rest_bold.nii";
  ASSERT_TRUE(std::regex_match(with, m, re));
  EXPECT_EQ(m[2].str(), "2");
  ASSERT_TRUE(std::regex_match(without, m, re));
  EXPECT_FALSE(m[2].matched);
  EXPECT_FALSE(std::regex_match(mixed, m, re));
  EXPECT_FALSE(std::regex_match(half, m, re));
}
