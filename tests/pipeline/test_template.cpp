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
