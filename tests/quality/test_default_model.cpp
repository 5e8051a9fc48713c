// The shipped default model (models/motion_ssim_default.json) on freshly
// simulated motion: the ground truth is the SSIM of each corrupted volume
// against its clean version, computed here; the model never saw these
// motion draws (another seed than scripts/train_model's), and for (b) never
// saw the volumes at all (models/holdout_volumes.txt). Small grids (2-3 mm)
// keep it to seconds.
#include <fstream>

#include <gtest/gtest.h>

#include "axon/quality/inputs.hpp"
#include "axon/quality/ssim_model.hpp"
#include "axon/quality/trainer.hpp"

namespace axon::quality {
namespace {

std::vector<Image<float>> volumes_of(const std::string& list, const SampleSettings& settings) {
  std::ifstream in(list);
  std::vector<Image<float>> out;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') out.push_back(training_base(read_structural(line), settings));
  return out;
}

struct Evaluations {
  Evaluation volumes, slices;
};

// Held-out volumes keep their own field of view (no crop), as in `train`.
Evaluations evaluate_on(const std::string& list, std::size_t count, std::uint64_t seed, bool crop) {
  SampleSettings settings;
  settings.min_voxel_mm = 2.0;  // coarser than training's 1.3 mm: seconds, not minutes
  if (!crop) settings.crop_probability = 0;
  const auto volumes = volumes_of(list, settings);
  EXPECT_FALSE(volumes.empty()) << list;
  const SampleSet set = make_samples(volumes, count, settings, seed);
  const SsimModel model = SsimModel::load(resolve_model_path("default"));
  return {evaluate(model.predict(set.features), set.ssim), evaluate(model.predict_slices(set.slice_rows), set.slice_ssim)};
}

const std::string kHoldout = std::string(AXON_SOURCE_DIR) + "/models/holdout_volumes.txt";
const std::string kTrain = std::string(AXON_SOURCE_DIR) + "/models/train_volumes.txt";

// What the shipped model does reach: its ranking is significant (one-sided
// p < 0.01 needs Spearman > 0.37 for n = 40, > 0.48 for n = 24) and it beats
// predicting the mean.
TEST(DefaultModel, RanksUnseenVolumesBetterThanTheMean) {
  const Evaluation e = evaluate_on(kHoldout, 40, 20261123, false).volumes;
  EXPECT_GT(e.spearman, 0.37);
  EXPECT_LT(e.mae, e.baseline_mae);
}

TEST(DefaultModel, RanksUnseenMotionOfTrainingVolumesBetterThanTheMean) {
  const Evaluation e = evaluate_on(kTrain, 24, 777, true).volumes;
  EXPECT_GT(e.spearman, 0.48);
  EXPECT_LT(e.mae, e.baseline_mae);
}

// The slice regressor on the same held-out samples (several hundred slices:
// p < 0.001 needs Spearman > 0.15 for n = 400).
TEST(DefaultModel, RanksSlicesOfUnseenVolumesBetterThanTheMean) {
  const Evaluations e = evaluate_on(kHoldout, 40, 20261123, false);
  EXPECT_GT(e.slices.n, 200u);
  EXPECT_GT(e.slices.spearman, 0.5);
  EXPECT_LT(e.slices.mae, e.slices.baseline_mae);
}

// The issue's target (Spearman > 0.9 on unseen volumes): not reached yet
// (docs/axon-motion-quality.md, "Held-out accuracy"); run with
// --gtest_also_run_disabled_tests.
TEST(DefaultModel, DISABLED_IssueTargetSpearmanAboveNineTenthsOnUnseenVolumes) {
  const Evaluation e = evaluate_on(kHoldout, 40, 20261123, false).volumes;
  EXPECT_GT(e.spearman, 0.9);
  EXPECT_LT(e.mae, 0.5 * e.baseline_mae);
}

}  // namespace
}  // namespace axon::quality
