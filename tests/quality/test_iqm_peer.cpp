// MRIQC IQMs and per-slice SSIM against an independent numpy/scipy/skimage
// implementation of the same formulas (iqm_peer.py), to 1e-4.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "axon/core/random.hpp"
#include "axon/image/grid.hpp"
#include "axon/quality/augmentation.hpp"
#include "axon/denoise/image_quality.hpp"
#include "axon/quality/iqm.hpp"
#include "axon/quality/motion_simulation.hpp"
#include "axon/quality/segmented_masks.hpp"
#include "axon/quality/tissue_classes.hpp"
#include "common/python_peer.hpp"
#include "quality_test_data.hpp"

namespace q = axon::quality;
using namespace axon::quality::test;

namespace {
template <class T>
void write_as(const axon::Image<float>& like, const std::vector<T>& values, axon::DataType type, const std::string& path) {
  auto img = axon::image_like<float>(like, type);
  for (std::size_t i = 0; i < values.size(); ++i) img.data[i] = static_cast<float>(values[i]);
  axon::write_image(img, path);
}

// ch2 on a 3 mm grid with noise in the air (Rician, so every metric is
// defined) and a bias field, then moderate motion: a realistic corrupted
// image, and its motion-free reference.
struct Corrupted {
  axon::Image<float> reference, image;
};
const Corrupted& corrupted_ch2() {
  static const Corrupted c = [] {
    axon::Rng rng(4);
    q::Augmentation a;
    a.noise = 0.02, a.scale = 500, a.bias_strength = 0.2;
    Corrupted out;
    out.reference = q::augment(ch2_3mm(), a, rng);
    out.image = q::simulate_motion(out.reference, q::draw_motion_plan(q::severity_settings("medium"), 1, 9));
    return out;
  }();
  return c;
}

const q::IqmMasks& segmented_ch2() {
  static const q::IqmMasks masks = q::segmented_iqm_masks(corrupted_ch2().image, "ch2_3mm");
  return masks;
}

// compute_iqms and the per-slice SSIM against iqm_peer.py on the masks given
// (with partial volumes and bias field when `masks` has them).
void expect_peer_agrees(const axon::Image<float>& image, const axon::Image<float>& reference, const q::IqmMasks& masks,
                        std::size_t expected_metrics) {
  const auto ours = q::compute_iqms(image, masks);
  const double range = axon::denoise::reference_data_range(reference.data.data(), reference.data.size());
  const auto slices = axon::denoise::slice_structural_similarity(
      image.data.data(), reference.data.data(), {image.nx(), image.ny(), image.nz()}, range, masks.head);

  const axon::test::ScratchDir scratch;
  const std::string dir = scratch.str();
  write_as(image, image.data, axon::DataType::float32, dir + "/image.nii.gz");
  write_as(image, reference.data, axon::DataType::float32, dir + "/reference.nii.gz");
  write_as(image, masks.head, axon::DataType::uint8, dir + "/head.nii.gz");
  write_as(image, masks.brain, axon::DataType::uint8, dir + "/brain.nii.gz");
  write_as(image, masks.tissue, axon::DataType::uint8, dir + "/tissue.nii.gz");
  if (!masks.pve.empty()) {
    const std::size_t n = image.data.size();
    for (int c = 0; c < 3; ++c)
      write_as(image, std::vector<float>(masks.pve.begin() + c * n, masks.pve.begin() + (c + 1) * n),
               axon::DataType::float32, dir + "/pve_" + std::to_string(c + 1) + ".nii.gz");
    write_as(image, masks.bias, axon::DataType::float32, dir + "/bias.nii.gz");
  }
  ASSERT_TRUE(axon::test::run_peer("quality/iqm_peer.py", dir));
  const auto peer = nlohmann::json::parse(std::ifstream(dir + "/peer.json"));

  std::size_t compared = 0;
  for (const auto& [name, value] : ours) {
    ASSERT_TRUE(peer.contains(name)) << name;
    const double p = peer[name].get<double>();
    EXPECT_NEAR(value, p, 1e-4 * std::max(1.0, std::abs(p))) << name;
    ++compared;
  }
  EXPECT_EQ(compared, expected_metrics);
  // The masks are not degenerate: every tissue and the air have voxels.
  for (const char* t : {"summary_csf_n", "summary_gm_n", "summary_wm_n"}) EXPECT_GT(ours.at(t), 50) << t;
  EXPECT_GT(ours.at("summary_bg_n"), 1000);
  ASSERT_EQ(slices.size(), peer["slice_ssim"].size());
  for (std::size_t z = 0; z < slices.size(); ++z) {
    if (peer["slice_ssim"][z].is_null()) {
      EXPECT_TRUE(std::isnan(slices[z])) << z;
      continue;
    }
    EXPECT_NEAR(slices[z], peer["slice_ssim"][z].get<double>(), 1e-4) << "slice " << z;
  }
}

constexpr std::size_t kStandInMetrics = 52;                      // MRIQC's names without icvs_*, rpve_*
constexpr std::size_t kClassifiedMetrics = kStandInMetrics + 6;  // + icvs_*, rpve_*

}  // namespace

TEST(IqmPeer, MatchesNumpyFormulasAndSkimageSliceSsim) {
  const Corrupted& c = corrupted_ch2();
  expect_peer_agrees(c.image, c.reference, q::default_iqm_masks(c.image), kStandInMetrics);
}

TEST(IqmPeer, MatchesMriqcsStructuralQcOnAxonSegmentsClasses) {
  // axon-segment's brain mask, tissue classes, partial volumes and bias
  // field (the score's masks): MRIQC's summary masks, the bias-corrected
  // image, icvs and rpve. At 3 mm no erosion (MRIQC erodes under 1.9 mm).
  const Corrupted& c = corrupted_ch2();
  expect_peer_agrees(c.image, c.reference, segmented_ch2(), kClassifiedMetrics);
}

TEST(IqmPeer, ErodesTheSummaryMasksUnderOnePointNineMillimetres) {
  // The same image and masks labelled as 1.5 mm voxels: MRIQC's erosion of
  // every summary mask by the 18-neighbour structure applies.
  const Corrupted& c = corrupted_ch2();
  const q::IqmMasks& masks = segmented_ch2();
  axon::Image<float> fine = c.image, reference = c.reference;
  for (auto* im : {&fine, &reference}) {
    Eigen::Matrix4d affine = axon::grid_of(im->header).affine;
    affine.block<3, 3>(0, 0) *= 0.5;
    im->header.set_affine(affine, 2, 2);
  }
  const auto eroded = q::compute_iqms(fine, masks), plain = q::compute_iqms(c.image, masks);
  EXPECT_LT(eroded.at("summary_wm_n"), plain.at("summary_wm_n"));
  expect_peer_agrees(fine, reference, masks, kClassifiedMetrics);
}

TEST(TissueSplit, RecoversThreeIntensityClasses) {
  // Three known classes with noise: k-means labels them in intensity order.
  std::vector<float> image(3000);
  std::vector<std::uint8_t> mask(3000, 1), truth(3000);
  axon::Rng rng(1);
  for (int i = 0; i < 3000; ++i) {
    truth[i] = static_cast<std::uint8_t>(1 + i % 3);
    image[i] = static_cast<float>(100.0 * truth[i] + rng.normal(0, 8));
  }
  const auto split = q::kmeans_tissue_split(image.data(), mask);
  int agree = 0;
  for (int i = 0; i < 3000; ++i) agree += split.labels[i] == truth[i];
  EXPECT_GT(agree, 2990);
  EXPECT_NEAR(split.centres[0], 100, 2);
  EXPECT_NEAR(split.centres[2], 300, 2);
}
