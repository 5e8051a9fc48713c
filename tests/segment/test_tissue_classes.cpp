// Tissue classification against the phantom of testdata/tissue_phantom
// (known labels and partial-volume fractions; bias field and Rician noise).
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>

#include "axon/segment/label_metrics.hpp"
#include "axon/segment/tissue_classes.hpp"
#include "testdata/tissue_phantom.hpp"

using namespace axon;
using namespace axon::segment;

namespace {

std::vector<std::uint8_t> mask_of(const testdata::TissuePhantom& p) {
  return std::vector<std::uint8_t>(p.mask.data.begin(), p.mask.data.end());
}

double class_dice(const TissueResult& r, const testdata::TissuePhantom& p, int label) {
  BinaryVolume a(r.labels.size()), b(r.labels.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = r.labels[i] == label;
    b[i] = p.labels.data[i] == label;
  }
  return compare_binary(a, b, grid_of(p.t1.header)).dice;
}

// Mean absolute error of the fractions of `label` over voxels wholly made of
// tissue (at the brain's outer edge the truth also holds background).
double pve_error(const TissueResult& r, const testdata::TissuePhantom& p, int label) {
  const std::size_t n = p.labels.data.size();
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double total = p.fractions.data[i] + p.fractions.data[n + i] + p.fractions.data[2 * n + i];
    if (total < 0.999) continue;
    sum += std::abs(r.pve[(label - 1) * n + i] - p.fractions.data[(label - 1) * n + i]);
    ++count;
  }
  return sum / static_cast<double>(count);
}

}  // namespace

TEST(TissueClasses, RecoversThePhantomsClasses) {
  const auto phantom = testdata::make_tissue_phantom({});
  const TissueResult r = classify_tissues(phantom.t1, mask_of(phantom), TissueOptions{}, "phantom");
  // Class means recovered (the truth: 250, 600, 850, before partial volume).
  EXPECT_NEAR(r.means[0], 250, 25);
  EXPECT_NEAR(r.means[1], 600, 25);
  EXPECT_NEAR(r.means[2], 850, 25);
  for (int label = 1; label <= 3; ++label) {
    const double dice = class_dice(r, phantom, label), err = pve_error(r, phantom, label);
    std::printf("class %d: Dice %.4f, PVE mean abs error %.4f\n", label, dice, err);
    EXPECT_GE(dice, 0.95) << "class " << label;
    EXPECT_LE(err, 0.05) << "class " << label;
  }
}

TEST(TissueClasses, BiasCorrectionMattersUnderAStrongField) {
  testdata::TissuePhantomOptions o;
  o.bias_amplitude = 0.3;
  const auto phantom = testdata::make_tissue_phantom(o);
  TissueOptions with, without;
  without.bias = false;
  const TissueResult a = classify_tissues(phantom.t1, mask_of(phantom), with, "phantom");
  const TissueResult b = classify_tissues(phantom.t1, mask_of(phantom), without, "phantom");
  const double gm_with = class_dice(a, phantom, 2), gm_without = class_dice(b, phantom, 2);
  std::printf("GM Dice with bias correction %.4f, without %.4f\n", gm_with, gm_without);
  EXPECT_GE(gm_with, 0.94);
  EXPECT_GT(gm_with, gm_without + 0.02);
}

TEST(TissueClasses, SameResultForAnyThreadCountAndInit) {
  testdata::TissuePhantomOptions o;
  o.dims = {40, 46, 36};
  const auto phantom = testdata::make_tissue_phantom(o);
  TissueOptions opts;
  opts.neighbourhood = 26;
  omp_set_num_threads(1);
  const TissueResult one = classify_tissues(phantom.t1, mask_of(phantom), opts, "phantom");
  omp_set_num_threads(2);
  const TissueResult two = classify_tissues(phantom.t1, mask_of(phantom), opts, "phantom");
  EXPECT_EQ(one.labels, two.labels);
  EXPECT_EQ(one.pve, two.pve);
  EXPECT_EQ(one.means, two.means);
  opts.init = TissueInit::otsu;
  const TissueResult otsu = classify_tissues(phantom.t1, mask_of(phantom), opts, "phantom");
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(otsu.means[c], one.means[c], 5.0);
}

TEST(TissueClasses, OtsuThresholdsSplitSeparatedGroups) {
  std::vector<float> v;
  for (int i = 0; i < 300; ++i) v.push_back(10.f + (i % 7));
  for (int i = 0; i < 300; ++i) v.push_back(100.f + (i % 5));
  for (int i = 0; i < 300; ++i) v.push_back(200.f + (i % 3));
  const auto t = otsu_thresholds(v, 3);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_GT(t[0], 16);
  EXPECT_LT(t[0], 100);
  EXPECT_GT(t[1], 104);
  EXPECT_LT(t[1], 200);
}
