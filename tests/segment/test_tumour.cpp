// The library steps of axon-segment tumour, each alone, on hand-computed
// cases: crop box, orientation, z-score (with and without clipping),
// resampling to and from the network's spacing, paint order, post-
// processing, label conventions and volumes. Agreement of the whole
// sequence with an independent numpy/torch implementation is checked by
// tumour_reference.sh.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

#include "axon/segment/tumour_inputs.hpp"
#include "axon/segment/tumour_labels.hpp"
#include "axon/segment/tumour_preprocess.hpp"

using namespace axon;
using namespace axon::segment;
using axon::learn::TensorVolume;

namespace {

TensorVolume ramp(int64_t c, int64_t nx, int64_t ny, int64_t nz) {
  TensorVolume v(c, nz, ny, nx);
  std::iota(v.data.begin(), v.data.end(), 0.f);
  return v;
}

learn::ModelCard sigmoid_card() {
  learn::ModelCard card;
  card.output_kind = learn::OutputKind::sigmoid_regions;
  card.outputs = {{"WT", {1, 2, 4}}, {"TC", {1, 4}}, {"ET", {4}}};
  card.paint_order = {{"WT", 2}, {"TC", 1}, {"ET", 4}};
  card.label_convention = "brats2018";
  return card;
}

}  // namespace

TEST(TumourCrop, BoundingBoxIsInclusiveAndCropPasteRoundTrips) {
  const Dims3 dims{6, 5, 4};
  std::vector<std::uint8_t> mask(6 * 5 * 4, 0);
  mask[(1 * 5 + 2) * 6 + 4] = 1;  // (4, 2, 1)
  mask[(3 * 5 + 1) * 6 + 2] = 1;  // (2, 1, 3)
  const auto box = bounding_box(mask, dims);
  ASSERT_TRUE(box);
  EXPECT_EQ(box->lo, (Dims3{2, 1, 1}));
  EXPECT_EQ(box->hi, (Dims3{4, 2, 3}));
  EXPECT_EQ(box->size(), (Dims3{3, 2, 3}));
  EXPECT_FALSE(bounding_box(std::vector<std::uint8_t>(120, 0), dims));

  const TensorVolume v = ramp(2, 6, 5, 4);
  const auto cropped = crop_voxels(v.data, 2, dims, *box);
  ASSERT_EQ(cropped.size(), 2u * 3 * 2 * 3);
  EXPECT_EQ(cropped.front(), v.data[v.index(0, 1, 1, 2)]);
  EXPECT_EQ(cropped.back(), v.data[v.index(1, 3, 2, 4)]);
  std::vector<float> full(v.data.size(), -1.f);
  paste_voxels(cropped, 2, *box, full, dims);
  for (int64_t c = 0; c < 2; ++c)
    for (int64_t k = 0; k < 4; ++k)
      for (int64_t j = 0; j < 5; ++j)
        for (int64_t i = 0; i < 6; ++i) {
          const bool inside = i >= 2 && i <= 4 && j >= 1 && j <= 2 && k >= 1 && k <= 3;
          EXPECT_EQ(full[v.index(c, k, j, i)], inside ? v.data[v.index(c, k, j, i)] : -1.f);
        }
}

TEST(TumourOrientation, FlipsAndPermutationsAreExactAndUndone) {
  const auto lps_to_ras = reorientation_between("LPS", "RAS");
  ASSERT_TRUE(lps_to_ras);
  EXPECT_EQ(lps_to_ras->source_axis, (std::array<int, 3>{0, 1, 2}));
  EXPECT_EQ(lps_to_ras->flip, (std::array<bool, 3>{true, true, false}));
  EXPECT_TRUE(reorientation_between("LPS", "LPS")->identity());
  EXPECT_FALSE(reorientation_between("LPS", "LPX"));
  EXPECT_FALSE(reorientation_between("LLS", "RAS"));

  // AIL -> LPS: new x (L) = input axis 2 (L) as is; new y (P) = input axis 0
  // (A) reversed; new z (S) = input axis 1 (I) reversed.
  const auto r = reorientation_between("AIL", "LPS");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->source_axis, (std::array<int, 3>{2, 0, 1}));
  EXPECT_EQ(r->flip, (std::array<bool, 3>{false, true, true}));
  const Dims3 dims{4, 3, 5};
  EXPECT_EQ(r->apply(dims), (Dims3{5, 4, 3}));
  const TensorVolume v = ramp(2, 4, 3, 5);
  const auto out = reorient_voxels(v.data, 2, dims, *r);
  // Output voxel (a, b, c) reads input (i = 3 - b, j = 2 - c, k = a).
  for (int64_t ch = 0; ch < 2; ++ch)
    for (int64_t c = 0; c < 3; ++c)
      for (int64_t b = 0; b < 4; ++b)
        for (int64_t a = 0; a < 5; ++a)
          EXPECT_EQ(out[((ch * 3 + c) * 4 + b) * 5 + a], v.data[v.index(ch, a, 2 - c, 3 - b)]);
  EXPECT_EQ(reorient_voxels(out, 2, dims, *r, true), v.data);
}

TEST(TumourNormalization, ZscoreInsideTheMaskWithoutClipping) {
  TensorVolume v(1, 1, 1, 6);
  v.data = {1, 2, 3, 4, 7, 9};
  const std::vector<std::uint8_t> mask{1, 1, 1, 1, 0, 0};
  const auto stats = normalize_intensities(v, mask, learn::Normalization{});
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_DOUBLE_EQ(stats[0].mean, 2.5);
  EXPECT_DOUBLE_EQ(stats[0].std, std::sqrt(1.25));
  EXPECT_FALSE(stats[0].clipped);
  const double s = std::sqrt(1.25);
  const float expected[6] = {float(-1.5 / s), float(-0.5 / s), float(0.5 / s), float(1.5 / s), 0, 0};
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(v.data[i], expected[i]);
}

TEST(TumourNormalization, ZscoreAfterPercentileClipping) {
  TensorVolume v(1, 1, 1, 6);
  v.data = {1, 2, 3, 100, 4, 5};
  const std::vector<std::uint8_t> mask{1, 1, 1, 1, 1, 0};
  learn::Normalization n;
  n.clip_percentiles = std::array<double, 2>{0.0, 75.0};
  const auto stats = normalize_intensities(v, mask, n);
  // numpy.percentile([1, 2, 3, 100, 4], [0, 75]) = [1, 4]: 100 -> 4.
  EXPECT_TRUE(stats[0].clipped);
  EXPECT_DOUBLE_EQ(stats[0].clip_low, 1.0);
  EXPECT_DOUBLE_EQ(stats[0].clip_high, 4.0);
  EXPECT_DOUBLE_EQ(stats[0].mean, 2.8);
  EXPECT_NEAR(stats[0].std, std::sqrt(1.36), 1e-12);
  EXPECT_NEAR(v.data[3], (4 - 2.8) / std::sqrt(1.36), 1e-6);
  EXPECT_NEAR(v.data[0], (1 - 2.8) / std::sqrt(1.36), 1e-6);
  EXPECT_EQ(v.data[5], 0.f);
  // A constant channel: std 0 -> divided by 1e-8, all zeros.
  TensorVolume c(1, 1, 1, 3, 5.f);
  normalize_intensities(c, {1, 1, 1}, learn::Normalization{});
  for (float x : c.data) EXPECT_EQ(x, 0.f);
}

TEST(TumourNormalization, RangeNonzeroMapsTheClipRangeToZeroOne) {
  TensorVolume v(1, 1, 1, 6);
  v.data = {0, 10, 20, 30, 40, 1000};
  const std::vector<std::uint8_t> mask{0, 1, 1, 1, 1, 1};
  learn::Normalization n;
  n.kind = "range-nonzero";
  n.clip_percentiles = std::array<double, 2>{0.0, 75.0};
  const auto stats = normalize_intensities(v, mask, n);
  // numpy.percentile([10, 20, 30, 40, 1000], [0, 75]) = [10, 40]: 10 -> 0, 40 and 1000 -> 1.
  EXPECT_DOUBLE_EQ(stats[0].mean, 10.0);
  EXPECT_DOUBLE_EQ(stats[0].std, 30.0);
  const float expected[6] = {0.f, 0.f, 1.f / 3, 2.f / 3, 1.f, 1.f};
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(v.data[i], expected[i]) << i;
}

TEST(TumourResample, OneToTwoMillimetresIsTheBlockAverage) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-2, 2);
  TensorVolume v(2, 4, 6, 8);
  for (float& x : v.data) x = u(rng);
  const TensorVolume r = resample_to_spacing(v, {1, 1, 1}, {2, 2, 2});
  ASSERT_EQ(r.nx, 4);
  ASSERT_EQ(r.ny, 3);
  ASSERT_EQ(r.nz, 2);
  for (int64_t c = 0; c < 2; ++c)
    for (int64_t k = 0; k < 2; ++k)
      for (int64_t j = 0; j < 3; ++j)
        for (int64_t i = 0; i < 4; ++i) {
          double sum = 0;
          for (int d = 0; d < 8; ++d)
            sum += v.data[v.index(c, 2 * k + (d >> 2), 2 * j + (d >> 1 & 1), 2 * i + (d & 1))];
          EXPECT_NEAR(r.data[r.index(c, k, j, i)], sum / 8, 1e-6);
        }
}

TEST(TumourResample, SizesSkippedAxesAndClampedEdges) {
  EXPECT_EQ(resampled_axis_size(155, 1.0, 2.0), 78);
  EXPECT_EQ(resampled_axis_size(240, 1.0, 2.0), 120);
  EXPECT_EQ(resampled_axis_size(36, 1.2, 2.0), 22);  // 21.6 -> 22
  EXPECT_EQ(resampled_axis_size(1, 1.0, 3.0), 1);
  EXPECT_FALSE(axis_is_resampled(1.0, 0.0));
  EXPECT_FALSE(axis_is_resampled(2.0 + 1e-7, 2.0));
  EXPECT_TRUE(axis_is_resampled(1.0, 2.0));
  // 5 voxels 1 -> 2 mm: 3 voxels; the last samples index 4.5, clamped to 4.
  TensorVolume v(1, 1, 1, 5);
  v.data = {0, 10, 20, 30, 40};
  const TensorVolume r = resample_to_spacing(v, {1, 7, 7}, {2, 0, 7});
  ASSERT_EQ(r.nx, 3);
  EXPECT_FLOAT_EQ(r.data[0], 5);
  EXPECT_FLOAT_EQ(r.data[1], 25);
  EXPECT_FLOAT_EQ(r.data[2], 40);
}

TEST(TumourResample, BackToTheCroppedGrid) {
  // Working grid (2 mm) values w = 0, 8, 16 back to 5 voxels of 1 mm: new
  // voxel k samples (k + 0.5) / 2 - 0.5 = -0.25 (clamped), 0.25, 0.75, 1.25, 1.75.
  TensorVolume w(1, 1, 1, 3);
  w.data = {0, 8, 16};
  const TensorVolume b = resample_back(w, {5, 1, 1}, {1, 1, 1}, {2, 0, 0});
  ASSERT_EQ(b.nx, 5);
  const float expected[5] = {0, 2, 6, 10, 14};
  for (int i = 0; i < 5; ++i) EXPECT_FLOAT_EQ(b.data[i], expected[i]);
  // A constant survives the way there and back exactly.
  TensorVolume c(3, 9, 7, 11, 0.25f);
  const TensorVolume there = resample_to_spacing(c, {1, 1, 1.2}, {2, 2, 2});
  const TensorVolume back = resample_back(there, {11, 7, 9}, {1, 1, 1.2}, {2, 2, 2});
  ASSERT_EQ(back.data.size(), c.data.size());
  for (float x : back.data) EXPECT_FLOAT_EQ(x, 0.25f);
}

TEST(TumourLabels, RegionsArePaintedInTheCardsOrder) {
  // Voxels: all regions; ET without TC; TC without WT; WT only; all at 0.5; outside the mask.
  TensorVolume p(3, 1, 1, 6);
  const float wt[6] = {0.9f, 0.6f, 0.4f, 0.6f, 0.5f, 0.9f}, tc[6] = {0.9f, 0.4f, 0.6f, 0.1f, 0.5f, 0.9f},
              et[6] = {0.9f, 0.6f, 0.1f, 0.1f, 0.5f, 0.9f};
  for (int i = 0; i < 6; ++i) p.channel(0)[i] = wt[i], p.channel(1)[i] = tc[i], p.channel(2)[i] = et[i];
  const auto labels = probabilities_to_labels(p, sigmoid_card(), {1, 1, 1, 1, 1, 0});
  EXPECT_EQ(labels, (std::vector<int32_t>{4, 4, 1, 2, 0, 0}));

  learn::ModelCard softmax = sigmoid_card();
  softmax.output_kind = learn::OutputKind::softmax;
  softmax.outputs = {{"bg", {0}}, {"ncr", {1}}, {"ed", {2}}, {"et", {4}}};
  TensorVolume q(4, 1, 1, 3);
  const float s[3][4] = {{0.1f, 0.2f, 0.3f, 0.4f}, {0.4f, 0.4f, 0.1f, 0.1f}, {0.1f, 0.3f, 0.3f, 0.3f}};
  for (int i = 0; i < 3; ++i)
    for (int c = 0; c < 4; ++c) q.channel(c)[i] = s[i][c];
  EXPECT_EQ(probabilities_to_labels(q, softmax, {}), (std::vector<int32_t>{4, 0, 1}));  // first max wins
}

TEST(TumourPostprocessing, SmallEnhancingTumourBecomesCore) {
  const auto brats = tumour_label_convention("brats2018");
  const double voxel_ml = 0.001;  // 1 mm^3
  std::vector<int32_t> small(1000, 2);
  std::fill(small.begin(), small.begin() + 400, 4);  // 0.4 mL of ET
  EXPECT_TRUE(relabel_small_enhancing(small, voxel_ml, 0.5, brats));
  EXPECT_EQ(std::count(small.begin(), small.end(), 4), 0);
  EXPECT_EQ(std::count(small.begin(), small.end(), 1), 400);
  std::vector<int32_t> large(1000, 2);
  std::fill(large.begin(), large.begin() + 600, 4);  // 0.6 mL
  EXPECT_FALSE(relabel_small_enhancing(large, voxel_ml, 0.5, brats));
  EXPECT_EQ(std::count(large.begin(), large.end(), 4), 600);
  std::vector<int32_t> none(10, 2);
  EXPECT_FALSE(relabel_small_enhancing(none, voxel_ml, 0.5, brats));
}

TEST(TumourPostprocessing, SpecksBelowTheVolumeAreRemoved26Connected) {
  const std::array<int64_t, 3> dims{20, 20, 20};
  std::vector<int32_t> labels(8000, 0);
  auto at = [&](int64_t i, int64_t j, int64_t k) -> int32_t& { return labels[(k * 20 + j) * 20 + i]; };
  // A 5x5x5 block (125 voxels = 0.125 mL) of mixed labels: kept.
  for (int k = 2; k < 7; ++k)
    for (int j = 2; j < 7; ++j)
      for (int i = 2; i < 7; ++i) at(i, j, k) = (i + j) % 2 ? 2 : 4;
  // A diagonal chain of 6 voxels touching only at corners: one 26-component, removed.
  for (int d = 0; d < 6; ++d) at(12 + d, 12 + d, 12 + d) = 1;
  // Two isolated voxels: removed.
  at(0, 19, 0) = 2;
  at(19, 0, 19) = 4;
  // A diagonal neighbour of the block: part of it, kept.
  at(7, 7, 7) = 1;
  const int64_t removed = remove_small_components(labels, dims, 0.001, 0.1);
  EXPECT_EQ(removed, 3);
  EXPECT_EQ(at(0, 19, 0), 0);
  EXPECT_EQ(at(19, 0, 19), 0);
  EXPECT_EQ(at(14, 14, 14), 0);
  EXPECT_EQ(at(7, 7, 7), 1);
  EXPECT_EQ(std::count_if(labels.begin(), labels.end(), [](int32_t l) { return l != 0; }), 126);
  // Nothing below 0 mL.
  std::vector<int32_t> one(8000, 0);
  one[0] = 4;
  EXPECT_EQ(remove_small_components(one, dims, 0.001, 0.0), 0);
}

TEST(TumourLabels, Brats2023ConventionAndVolumesInMillilitres) {
  const auto b18 = tumour_label_convention("brats2018"), b23 = tumour_label_convention("brats2023");
  EXPECT_THROW(tumour_label_convention("brats2021x"), std::invalid_argument);
  std::vector<int32_t> labels{0, 1, 2, 4, 4, 2, 2, 0};
  convert_label_convention(labels, b18, b23);
  EXPECT_EQ(labels, (std::vector<int32_t>{0, 1, 2, 3, 3, 2, 2, 0}));
  const double voxel_ml = 1.0 * 1.0 * 1.2 / 1000;
  const TumourVolumes v = tumour_volumes(labels, voxel_ml, b23);
  EXPECT_NEAR(v.whole_tumour_ml, 6 * voxel_ml, 1e-15);
  EXPECT_NEAR(v.tumour_core_ml, 3 * voxel_ml, 1e-15);
  EXPECT_NEAR(v.enhancing_ml, 2 * voxel_ml, 1e-15);
  EXPECT_NEAR(v.label_ml.at(2), 3 * voxel_ml, 1e-15);
  const auto j = v.to_json();
  EXPECT_NEAR(j["ET"].get<double>(), 0.0024, 1e-12);
  EXPECT_TRUE(j["labels"].contains("3"));
  convert_label_convention(labels, b23, b18);
  EXPECT_EQ(labels, (std::vector<int32_t>{0, 1, 2, 4, 4, 2, 2, 0}));
}

TEST(TumourInputs, BrainIsWhereAnyChannelIsNonZero) {
  Image<float> a, b;
  a.data = {0, 1, 0, 0};
  b.data = {0, 0, -2, 0};
  EXPECT_EQ(nonzero_brain_mask({a, b}), (std::vector<std::uint8_t>{0, 1, 1, 0}));
}
