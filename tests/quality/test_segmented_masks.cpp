// The score's masks (segmented_iqm_masks) against ground truth and against
// axon-segment run directly: a tissue phantom whose classes, fractions and
// bias field are known, and ch2 (real data) against extract_brain and
// classify_tissues at full resolution. And the model's inputs stay the
// stand-in masks' values.
#include <gtest/gtest.h>

#include <cmath>

#include "axon/image/grid.hpp"
#include "axon/image/resample.hpp"
#include "axon/quality/head_masks.hpp"
#include "axon/quality/iqm.hpp"
#include "axon/quality/segmented_masks.hpp"
#include "axon/segment/brain_extraction.hpp"
#include "axon/segment/label_metrics.hpp"
#include "axon/segment/tissue_classes.hpp"
#include "quality_test_data.hpp"
#include "testdata/tissue_phantom.hpp"

namespace q = axon::quality;
namespace seg = axon::segment;

namespace {

template <class A, class B>
double label_dice(const A& a, const B& b, int label, const axon::Grid& grid) {
  seg::BinaryVolume x(a.size()), y(b.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = a[i] == label, y[i] = b[i] == label;
  return seg::compare_binary(x, y, grid).dice;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
  ma /= a.size(), mb /= b.size();
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    sab += (a[i] - ma) * (b[i] - mb), saa += (a[i] - ma) * (a[i] - ma), sbb += (b[i] - mb) * (b[i] - mb);
  return sab / std::sqrt(saa * sbb);
}

}  // namespace

TEST(SegmentedMasks, RecoverThePhantomsClassesFractionsAndBiasAtOneMillimetre) {
  // 1 mm voxels: the tissues are classified on the 2 mm block average and
  // brought back (the score's path on a 1 mm T1).
  axon::testdata::TissuePhantomOptions o;
  o.dims = {96, 112, 88};
  o.voxel_mm = 1.0;
  const auto phantom = axon::testdata::make_tissue_phantom(o);
  const q::ByteMask brain(phantom.mask.data.begin(), phantom.mask.data.end());
  const q::IqmMasks masks = q::segmented_iqm_masks(phantom.t1, "phantom", &brain);
  const axon::Grid grid = axon::grid_of(phantom.t1.header);
  const std::size_t n = brain.size();

  // Labels against the truth (inside the mask; outside both are 0).
  std::vector<int> truth(n);
  for (std::size_t i = 0; i < n; ++i) truth[i] = brain[i] ? phantom.labels.data[i] : 0;
  for (int label = 1; label <= 3; ++label)
    EXPECT_GT(label_dice(masks.tissue, truth, label, grid), 0.95) << "class " << label;

  // icvs_* against the true tissue shares (each mask voxel's fractions
  // normalised to sum 1, as partial-volume maps are: the mask's outer
  // voxels are partly background).
  const auto iqms = q::compute_iqms(phantom.t1, masks);
  double sums[3] = {0, 0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    if (!brain[i]) continue;
    const double f[3] = {phantom.fractions.data[i], phantom.fractions.data[n + i], phantom.fractions.data[2 * n + i]};
    for (int c = 0; c < 3; ++c) sums[c] += f[c] / (f[0] + f[1] + f[2]);
  }
  const double total = sums[0] + sums[1] + sums[2];
  EXPECT_NEAR(iqms.at("icvs_csf"), sums[0] / total, 0.02);
  EXPECT_NEAR(iqms.at("icvs_gm"), sums[1] / total, 0.02);
  EXPECT_NEAR(iqms.at("icvs_wm"), sums[2] / total, 0.02);

  // On the bias-corrected image, the pure-tissue medians keep the classes'
  // true ratio (WM 850 : GM 600 : CSF 250), whatever the field's scale.
  EXPECT_NEAR(iqms.at("summary_wm_median") / iqms.at("summary_gm_median"), 850.0 / 600.0, 0.03 * 850.0 / 600.0);
  EXPECT_NEAR(iqms.at("summary_gm_median") / iqms.at("summary_csf_median"), 600.0 / 250.0, 0.05 * 600.0 / 250.0);

  // The bias field (inu_*) follows the true one.
  std::vector<double> est, tru;
  for (std::size_t i = 0; i < n; ++i)
    if (masks.tissue[i] > 0) est.push_back(masks.bias[i]), tru.push_back(phantom.bias.data[i]);
  EXPECT_GT(correlation(est, tru), 0.95);
  // Partial volumes are fractions that sum to 1 in the brain.
  for (std::size_t i = 0; i < n; i += 97) {
    if (brain[i]) {
      EXPECT_NEAR(masks.pve[i] + masks.pve[n + i] + masks.pve[2 * n + i], 1.0, 1e-5);
    }
  }
}

TEST(SegmentedMasks, MatchAxonSegmentOnCh2) {
  // Real data: ch2 on a 2 mm grid, tissues classified at 4 mm (the same
  // factor of 2 as a 1 mm T1 at the default 2 mm). The brain mask is
  // axon-segment's extraction without its N4 pass, exactly; the labels
  // agree with axon-segment's classification at full resolution.
  const auto image = q::resample_isotropic(axon::read_volume<float>(q::test::kCh2), 2.0);
  q::SegmentedMaskOptions options;
  options.tissue_mm = 4.0;
  const q::IqmMasks masks = q::segmented_iqm_masks(image, "ch2", nullptr, options);
  seg::BrainOptions bo;
  bo.bias_correct = false;
  const seg::BrainResult brain = seg::extract_brain(image, bo, "ch2");
  ASSERT_EQ(masks.brain, brain.mask);
  // ... and it is a brain: against ch2bet (Colin27's own brain extraction).
  const auto bet = axon::resample_like(axon::read_volume<float>("/usr/share/mricron/templates/ch2bet.nii.gz"),
                                       image.header, axon::Interpolation::nearest);
  seg::BinaryVolume ref(bet.data.size());
  for (std::size_t i = 0; i < ref.size(); ++i) ref[i] = bet.data[i] > 0;
  const axon::Grid grid = axon::grid_of(image.header);
  EXPECT_GT(seg::compare_binary(masks.brain, ref, grid).dice, 0.95);

  const seg::TissueResult full = seg::classify_tissues(image, masks.brain, seg::TissueOptions{}, "ch2");
  for (int label = 1; label <= 3; ++label)
    EXPECT_GT(label_dice(masks.tissue, full.labels, label, grid), 0.9) << "class " << label;
}

TEST(SegmentedMasks, TheModelStillReadsTheStandInMasksIqms) {
  // score feeds the regressor efc and fwhm_* of the stand-in masks (the
  // values it was trained on), not those of the reported IQMs.
  const auto& image = q::test::ch2_3mm();
  const auto standin = q::compute_iqms(image, q::default_iqm_masks(image));
  const q::ByteMask head = q::head_mask(image);
  const auto model = q::model_input_iqms(image, head);
  ASSERT_EQ(model.size(), 5u);
  for (const auto& [name, value] : model) EXPECT_EQ(value, standin.at(name)) << name;
  // With a given brain mask, that mask replaces the stand-in brain (as before).
  q::ByteMask box(image.data.size(), 0);
  for (int64_t k = 20; k < 40; ++k)
    for (int64_t j = 25; j < 50; ++j)
      for (int64_t i = 20; i < 40; ++i) box[(k * image.ny() + j) * image.nx() + i] = 1;
  const auto given = q::model_input_iqms(image, head, &box);
  const auto standin_given = q::compute_iqms(image, q::default_iqm_masks(image, &box));
  for (const auto& [name, value] : given) EXPECT_EQ(value, standin_given.at(name)) << name;
}
