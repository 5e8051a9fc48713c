#include <gtest/gtest.h>

#include "axon/pipeline/entities.hpp"

namespace pl = axon::pipeline;

TEST(PipelineEntities, MatchTemplateFindsTuples) {
  const std::vector<std::string> files{"sub-01/anat/sub-01_T1w.nii.gz", "sub-01/func/sub-01_task-rest_bold.nii.gz",
                                       "sub-02/func/sub-02_task-rest_bold.nii.gz", "sub-02/func/sub-02_task-nback_bold.nii.gz",
                                       "sub-03/func/sub-03_task-rest_bold.json"};
  auto t = pl::match_template("sub-{subject}/func/sub-{subject}_task-{task}_bold.nii.gz", files);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], (pl::Entities{{"subject", "01"}, {"task", "rest"}}));
  EXPECT_EQ(t[1], (pl::Entities{{"subject", "02"}, {"task", "nback"}}));
  EXPECT_EQ(pl::match_template("sub-{subject}/anat/sub-{subject}_T1w.nii.gz", files).size(), 1u);
}

TEST(PipelineEntities, JoinKeepsAgreeingTuples) {
  std::vector<pl::Entities> bold{{{"subject", "01"}, {"task", "rest"}}, {{"subject", "02"}, {"task", "rest"}}};
  std::vector<pl::Entities> t1{{{"subject", "01"}}};
  auto j = pl::join(bold, t1);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0], (pl::Entities{{"subject", "01"}, {"task", "rest"}}));
  EXPECT_EQ(pl::join({{}}, bold), bold);
  EXPECT_EQ(pl::project(j[0], {"subject"}), (pl::Entities{{"subject", "01"}}));
}

TEST(PipelineEntities, ChainInBidsOrder) {
  EXPECT_EQ(pl::entity_chain({{"run", "2"}, {"task", "rest"}, {"subject", "01"}, {"session", "a"}}), "sub-01_ses-a_task-rest_run-2");
  EXPECT_EQ(pl::entity_chain({}), "");
}

TEST(PipelineEntities, OptionalEntitiesMayBeAbsentFromATuple) {
  const std::vector<std::string> files = {"sub-01/func/sub-01_task-rest_bold.nii.gz",
                                          "sub-02/ses-1/func/sub-02_ses-1_task-rest_run-2_bold.nii.gz"};
  const auto t = pl::match_template("sub-{subject}/ses-{session?}/func/sub-{subject}_ses-{session?}_task-{task}_run-{run?}_bold.nii.gz", files);
  ASSERT_EQ(t.size(), 2u);
  // (Sorted as maps: "run" < "subject".)
  EXPECT_EQ(t[0], (pl::Entities{{"subject", "02"}, {"session", "1"}, {"task", "rest"}, {"run", "2"}}));
  EXPECT_EQ(t[1], (pl::Entities{{"subject", "01"}, {"task", "rest"}}));
}
