// Training samples with field-of-view crops: every sample has a defined
// target (a crop that leaves no head where SSIM is scored falls back to the
// whole field of view), and its slices' targets are defined.
#include <cmath>
#include <cstring>

#include <gtest/gtest.h>

#include "axon/quality/features.hpp"
#include "axon/quality/slice_features.hpp"
#include "axon/quality/training_samples.hpp"
#include "quality_test_data.hpp"

namespace axon::quality {
namespace {

TEST(TrainingSamples, CroppedSamplesAlwaysHaveDefinedTargets) {
  SampleSettings settings;
  settings.crop_probability = 1.0;
  settings.min_voxel_mm = settings.max_voxel_mm = 3.0;
  settings.slices_per_sample = 4;
  const Image<float>& ch2 = test::ch2_3mm();
  for (std::uint64_t id = 0; id < 24; ++id) {
    const Sample s = make_sample(ch2, settings, 2, id);
    EXPECT_TRUE(std::isfinite(s.ssim)) << "sample " << id;
    EXPECT_GE(s.ssim, 0.0);
    EXPECT_LE(s.ssim, 1.0 + 1e-9);
    EXPECT_EQ(s.features.size(), feature_names().size());
    ASSERT_EQ(s.slice_rows.size(), s.slice_ssim.size() * slice_feature_names().size());
    EXPECT_GT(s.slice_ssim.size(), 0u) << "sample " << id;
    for (double v : s.slice_ssim) EXPECT_TRUE(std::isfinite(v)) << "sample " << id;
  }
}

TEST(TrainingSamples, DrawEveryListedCorruptionModelDeterministically) {
  // Samples drawn from several corruption models: each listed model is used,
  // none other, the target is the SSIM of a real corruption (below 1 unless
  // still), and the same id gives the same sample.
  SampleSettings settings;
  settings.augment = false;
  settings.slices_per_sample = 2;
  settings.simulators = {CorruptionModel::shots, CorruptionModel::drift};
  const Image<float>& ch2 = test::ch2_3mm();
  int shots = 0, drift = 0;
  for (std::uint64_t id = 0; id < 10; ++id) {
    const Sample s = make_sample(ch2, settings, 4, id);
    shots += s.simulator == CorruptionModel::shots, drift += s.simulator == CorruptionModel::drift;
    EXPECT_NE(s.simulator, CorruptionModel::kspace);
    EXPECT_TRUE(std::isfinite(s.ssim)) << "sample " << id;
    if (s.motion.max_degrees > 0.5) {
      EXPECT_LT(s.ssim, 1.0) << "sample " << id;
    }
    const Sample again = make_sample(ch2, settings, 4, id);
    EXPECT_EQ(again.simulator, s.simulator);
    EXPECT_EQ(again.ssim, s.ssim);
    ASSERT_EQ(again.features.size(), s.features.size());  // bytes: features may be NaN (missing)
    EXPECT_EQ(0, std::memcmp(again.features.data(), s.features.data(), s.features.size() * sizeof(float)));
  }
  EXPECT_GT(shots, 0);
  EXPECT_GT(drift, 0);
}

}  // namespace
}  // namespace axon::quality
