// MRIQC's qi_2: the chi2 fit against known distributions, and the whole
// metric against MRIQC's own calls (scikit-learn's KernelDensity, scipy's
// chi2.fit) in qi2_peer.py.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "axon/core/random.hpp"
#include "axon/io/nifti.hpp"
#include "axon/quality/augmentation.hpp"
#include "axon/quality/head_masks.hpp"
#include "axon/quality/iqm.hpp"
#include "axon/quality/motion_simulation.hpp"
#include "axon/quality/qi2.hpp"
#include "common/python_peer.hpp"
#include "quality_test_data.hpp"

namespace q = axon::quality;
using namespace axon::quality::test;

namespace {

// Chi-squared draws with `df` degrees of freedom (sums of squared normals),
// shifted and scaled.
std::vector<double> chi2_draws(int df, double loc, double scale, std::size_t n, std::uint64_t seed) {
  axon::Rng rng(seed);
  std::vector<double> x(n);
  for (auto& v : x) {
    double s = 0;
    for (int k = 0; k < df; ++k) s += std::pow(rng.normal(), 2);
    v = loc + scale * s;
  }
  return x;
}

double true_chi2_pdf(double x, int df, double loc, double scale) {
  return q::chi2_pdf(x, q::Chi2Fit{static_cast<double>(df), loc, scale});
}

}  // namespace

TEST(Qi2, Chi2PdfIsTheTextbookDensity) {
  // df = 2: exp(-x/2) / 2; df = 4: x exp(-x/2) / 4; scaled and shifted.
  for (double x : {0.1, 1.0, 3.7, 12.0}) {
    EXPECT_NEAR(q::chi2_pdf(x, {2, 0, 1}), std::exp(-x / 2) / 2, 1e-14);
    EXPECT_NEAR(q::chi2_pdf(x, {4, 0, 1}), x * std::exp(-x / 2) / 4, 1e-14);
    EXPECT_NEAR(q::chi2_pdf(10 + 3 * x, {4, 10, 3}), x * std::exp(-x / 2) / 12, 1e-14);
  }
  EXPECT_EQ(q::chi2_pdf(-1.0, {4, 0, 1}), 0.0);
}

TEST(Qi2, FitRecoversTheDensityOfChi2Draws) {
  // The three parameters trade off against each other, so the check is on
  // the fitted density: within 5 % of the peak everywhere on the bulk.
  for (int df : {8, 32}) {
    const auto x = chi2_draws(df, 5.0, 2.0, 20000, 7 + df);
    const q::Chi2Fit fit = q::fit_chi2(x, 32);
    double peak = 0, worst = 0;
    for (double t = 5.0; t < 5.0 + 2.0 * (df + 6 * std::sqrt(2.0 * df)); t += 0.25) {
      const double truth = true_chi2_pdf(t, df, 5.0, 2.0);
      peak = std::max(peak, truth);
      worst = std::max(worst, std::abs(q::chi2_pdf(t, fit) - truth));
    }
    EXPECT_LT(worst, 0.05 * peak) << "df " << df << ": fit " << fit.df << ", " << fit.loc << ", " << fit.scale;
  }
}

TEST(Qi2, ScalesWithTheIntensitiesAndGrowsWithAGhost) {
  // Air whose values follow a chi2 law (the one the fit assumes; not 0, as
  // the fit leaves out the top 5 % and the density is smoothed). A ghost (a
  // second, brighter population in a third of the air) is what qi_2
  // measures: it must grow.
  axon::Image<float> image;
  image.header = ch2_3mm().header;
  image.header.dim[3] = 20;  // 60 x 72 x 20: 86,400 values
  const auto draws = chi2_draws(16, 2.0, 3.0, static_cast<std::size_t>(image.nx() * image.ny() * image.nz()), 3);
  image.data.assign(draws.begin(), draws.end());
  const q::ByteMask air(image.data.size(), 1);
  const double clean = q::quality_index_2(image, air);
  EXPECT_GT(clean, 0.0);
  // Every step scales with the intensities (percentiles, bandwidth, grid,
  // fit), so ten times the values give a tenth of the density difference.
  axon::Image<float> brighter = image;
  for (auto& v : brighter.data) v *= 10.0f;
  EXPECT_NEAR(q::quality_index_2(brighter, air), clean / 10, 0.01 * clean / 10);
  for (std::size_t i = 0; i < image.data.size(); i += 3) image.data[i] += 60.0f;
  EXPECT_GT(q::quality_index_2(image, air), clean);
  // Fewer than 1000 positive air values: 0, as MRIQC.
  EXPECT_EQ(q::quality_index_2(image, q::ByteMask(image.data.size(), 0)), 0.0);
}

TEST(Qi2, SameValueForAnyThreadCount) {
  // More than 300,000 air values (the every-k-th subsample) and a
  // multi-threaded fit: the same double for one thread and two.
  axon::Image<float> image;
  image.header = ch2_3mm().header;
  axon::Rng rng(8);
  image.data.resize(2 * ch2_3mm().data.size());
  image.header.dim[3] *= 2;
  for (auto& v : image.data) v = static_cast<float>(std::hypot(rng.normal(0, 10), rng.normal(0, 10)));
  const q::ByteMask air(image.data.size(), 1);
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const double one = q::quality_index_2(image, air);
  omp_set_num_threads(2);
  const double two = q::quality_index_2(image, air);
  omp_set_num_threads(before);
  EXPECT_GT(one, 0.0);
  EXPECT_EQ(one, two);
}

class Qi2Peer : public ::testing::TestWithParam<bool> {};

TEST_P(Qi2Peer, MatchesMriqcsComputationWithSklearnAndScipy) {
  if (!axon::test::python_has("sklearn") || !axon::test::python_has("nibabel"))
    GTEST_SKIP() << "scikit-learn or nibabel missing for /usr/bin/python3 (scripts/bootstrap installs them)";
  // ch2 at 3 mm with Rician noise, moderate motion and ghosting: the far air
  // without its artefact voxels, as `score` passes it.
  axon::Rng rng(4);
  q::Augmentation a;
  a.noise = 0.02, a.scale = 500;
  const auto reference = q::augment(ch2_3mm(), a, rng);
  q::MotionSettings s = q::severity_settings("medium");
  s.ghosting = true;
  auto image = q::simulate_motion(reference, q::draw_motion_plan(s, 1, 9));
  if (GetParam()) // integer intensities, as scanners store them: few distinct air values
    for (auto& v : image.data) v = std::round(v);
  const auto artefacts = q::artefact_masks(image, q::head_mask(image));
  q::ByteMask air(image.data.size());
  std::size_t count = 0;
  for (std::size_t v = 0; v < air.size(); ++v) count += air[v] = artefacts.air[v] && !artefacts.artefact[v];
  ASSERT_GT(count, 1000u);
  const double ours = q::quality_index_2(image, air);

  const axon::test::ScratchDir scratch;
  const std::string dir = scratch.str();
  image.header.datatype = static_cast<int>(axon::DataType::float32);
  image.header.scl_slope = image.header.scl_inter = 0;
  axon::write_image(image, dir + "/image.nii.gz");
  auto mask = axon::image_like<float>(image, axon::DataType::uint8);
  for (std::size_t v = 0; v < air.size(); ++v) mask.data[v] = air[v];
  axon::write_image(mask, dir + "/air.nii.gz");
  ASSERT_TRUE(axon::test::run_peer("quality/qi2_peer.py", dir));
  const auto peer = nlohmann::json::parse(std::ifstream(dir + "/qi2_peer.json"));
  EXPECT_GT(peer["qi_2"].get<double>(), 0.0);
  EXPECT_NEAR(ours, peer["qi_2"].get<double>(), 1e-3 * peer["qi_2"].get<double>());
  // The fit itself, parameter by parameter (scipy's Nelder-Mead path).
  std::vector<double> data;
  for (std::size_t v = 0; v < air.size(); ++v)
    if (air[v] && image.data[v] > 0) data.push_back(image.data[v]);
  std::vector<double> sorted = data;
  std::sort(sorted.begin(), sorted.end());
  const double pos = 0.95 * static_cast<double>(sorted.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(pos);
  const double p95 = sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]);
  std::vector<double> below;
  for (double v : data)
    if (v < p95) below.push_back(v);
  const q::Chi2Fit fit = q::fit_chi2(below, 32);
  EXPECT_NEAR(fit.df, peer["df"].get<double>(), 1e-3 * std::abs(peer["df"].get<double>()));
  EXPECT_NEAR(fit.loc, peer["loc"].get<double>(), 1e-3 * std::max(1.0, std::abs(peer["loc"].get<double>())));
  EXPECT_NEAR(fit.scale, peer["scale"].get<double>(), 1e-3 * std::abs(peer["scale"].get<double>()));
}

INSTANTIATE_TEST_SUITE_P(FloatAndIntegerImages, Qi2Peer, ::testing::Values(false, true));
