// The score's masks (segmented_iqm_masks) against ground truth and against
// axon-segment run directly: a tissue phantom whose classes, fractions and
// bias field are known, and ch2 (real data) against extract_brain and
// classify_tissues at full resolution. And the model's inputs stay the
// stand-in masks' values.
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "axon/image/grid.hpp"
#include "axon/quality/head_masks.hpp"
#include "axon/quality/iqm.hpp"
#include "axon/quality/segmented_masks.hpp"
#include "axon/segment/brain_extraction.hpp"
#include "axon/segment/tissue_classes.hpp"
#include "quality_test_data.hpp"
#include "testdata/tissue_phantom.hpp"

namespace q = axon::quality;
namespace seg = axon::segment;

namespace {

// Dice of label `label` in two label volumes (2|A & B| / (|A| + |B|)).
template <class A, class B>
double label_dice(const A& a, const B& b, int label) {
  double both = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const bool x = a[i] == label, y = b[i] == label;
    both += x && y, na += x, nb += y;
  }
  return 2 * both / (na + nb);
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
  // brought back (the score's path on a 1 mm T1), inside the given mask.
  axon::testdata::TissuePhantomOptions o;
  o.dims = {96, 112, 88};
  o.voxel_mm = 1.0;
  const auto phantom = axon::testdata::make_tissue_phantom(o);
  const q::ByteMask brain(phantom.mask.data.begin(), phantom.mask.data.end());
  const q::IqmMasks masks = q::segmented_iqm_masks(phantom.t1, "phantom", &brain);
  const std::size_t n = brain.size();

  // Labels against the truth (inside the mask; outside both are 0).
  std::vector<int> truth(n);
  for (std::size_t i = 0; i < n; ++i) truth[i] = brain[i] ? phantom.labels.data[i] : 0;
  for (int label = 1; label <= 3; ++label) EXPECT_GT(label_dice(masks.tissue, truth, label), 0.95) << "class " << label;

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

TEST(SegmentedMasks, BrainIsAxonSegmentsOnCh2) {
  // Real data, the score's own path: ch2 at 1 mm, worked on at 2 mm. The
  // brain mask is axon-segment's extraction without its N4 pass (the same
  // work, on the block average score shares with the tissue step) ...
  const auto image = axon::read_volume<float>(q::test::kCh2);
  const q::IqmMasks masks = q::segmented_iqm_masks(image, "ch2");
  seg::BrainOptions bo;
  bo.bias_correct = false;
  const seg::BrainResult brain = seg::extract_brain(image, bo, "ch2");
  EXPECT_GT(label_dice(masks.brain, brain.mask, 1), 0.99);
  // ... and it is a brain: against ch2bet (Colin27's own brain extraction).
  const auto bet = axon::read_volume<float>("/usr/share/mricron/templates/ch2bet.nii.gz");  // ch2's grid
  seg::BinaryVolume ref(bet.data.size());
  for (std::size_t i = 0; i < ref.size(); ++i) ref[i] = bet.data[i] > 0;
  EXPECT_GT(label_dice(masks.brain, ref, 1), 0.95);
}

TEST(SegmentedMasks, LabelsMatchAxonSegmentsFullResolutionClassesOnACh2Slab) {
  // A 1 mm slab of ch2 through the ventricles and cortex (a full-resolution
  // classification of the whole brain takes 10 CPU-s), inside ch2bet: the
  // score's labels (classified at 2 mm, unmixed at 1 mm) against
  // axon-segment's classification of the slab at 1 mm.
  const auto full = axon::read_volume<float>(q::test::kCh2);
  const auto bet = axon::read_volume<float>("/usr/share/mricron/templates/ch2bet.nii.gz");
  const std::array<int64_t, 3> lo{40, 50, 86}, size{100, 120, 20};
  axon::Grid slab_grid = axon::grid_of(full.header);
  slab_grid.affine.block<3, 1>(0, 3) = slab_grid.world(lo[0], lo[1], lo[2]);
  slab_grid.dims = size;
  axon::Image<float> slab;
  slab.header = axon::header_for_grid(full.header, slab_grid);
  slab.header.datatype = static_cast<int>(axon::DataType::float32);
  slab.header.scl_slope = slab.header.scl_inter = 0;
  slab.data.resize(static_cast<std::size_t>(slab_grid.voxels()));
  q::ByteMask brain(slab.data.size());
  for (int64_t k = 0; k < size[2]; ++k)
    for (int64_t j = 0; j < size[1]; ++j)
      for (int64_t i = 0; i < size[0]; ++i) {
        const std::size_t from =
            static_cast<std::size_t>(((k + lo[2]) * full.ny() + j + lo[1]) * full.nx() + i + lo[0]);
        const std::size_t to = static_cast<std::size_t>((k * size[1] + j) * size[0] + i);
        slab.data[to] = full.data[from];
        brain[to] = bet.data[from] > 0;
      }
  const q::IqmMasks masks = q::segmented_iqm_masks(slab, "ch2 slab", &brain);
  const seg::TissueResult reference = seg::classify_tissues(slab, brain, seg::TissueOptions{}, "ch2 slab");
  for (int label = 1; label <= 3; ++label)
    EXPECT_GT(label_dice(masks.tissue, reference.labels, label), 0.9) << "class " << label;
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
