// The axon-testdata executable: outputs, exit codes, --force.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/wait.h>

#include "axon/io/json.hpp"
#include "common/scratch_dir.hpp"

namespace {

using axon::test::ScratchDir;

std::string tool() {
  const char* bin = std::getenv("AXON_TESTDATA_BIN");
  return std::string(bin ? bin : AXON_BINARY_DIR "/testdata") + "/axon-testdata";
}

int run(const std::string& args) {
  const int status = std::system((tool() + " " + args + " -q > /dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(AxonTestdataCli, FmriWritesEveryOutputOnceWithoutForce) {
  ScratchDir dir;
  const std::string out = dir / "run";
  ASSERT_EQ(run("fmri " + out + " --volumes 10 --jumps 2 --tr 1.5 --seed 3"), 0);
  for (const char* name : {"bold.nii.gz", "atlas.nii.gz", "brainmask.nii.gz", "true_motion.tsv",
                           "true_confounds.tsv", "true_covariance.tsv", "true_correlation.tsv", "ground_truth.json"})
    EXPECT_TRUE(std::filesystem::exists(out + "/" + name)) << name;
  const auto truth = axon::read_json(out + "/ground_truth.json");
  EXPECT_EQ(truth["seed"].get<int>(), 3);
  EXPECT_EQ(truth["repetition_time_s"].get<double>(), 1.5);
  EXPECT_EQ(truth["motion"]["jump_volumes"].size(), 2u);
  EXPECT_TRUE(truth.contains("Provenance"));
  EXPECT_EQ(run("fmri " + out + " --volumes 10"), 4);  // outputs exist: exit 4 without --force
  EXPECT_EQ(run("fmri " + out + " --volumes 10 --force"), 0);
  EXPECT_EQ(run("fmri " + out + " --motion sideways"), 2);
}

TEST(AxonTestdataCli, NoisyT1WritesNoisyCleanAndSigma) {
  ScratchDir dir;
  ASSERT_EQ(run("noisy-t1 " + dir / "n.nii.gz" + " " + dir / "c.nii.gz" + " --sigma-percent 2.5 --seed 8"), 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "c.nii.gz"));
  EXPECT_DOUBLE_EQ(axon::read_json(dir / "n.json")["sigma"].get<double>(), 25.0);
  EXPECT_EQ(run("noisy-t1 " + dir / "x.nii.gz" + " " + dir / "y.nii.gz"), 2);  // --sigma-percent is required
}

}  // namespace
