// The synthetic BOLD generator against its own ground truth and against the
// real templates it is built from.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "axon/core/error.hpp"
#include "axon/core/threads.hpp"
#include "axon/io/json.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/tsv.hpp"
#include "common/scratch_dir.hpp"
#include "testdata/synthetic_fmri.hpp"

namespace {

using axon::testdata::FmriOptions;
using axon::testdata::MotionKind;
using axon::test::file_bytes;
using axon::test::ScratchDir;

const std::string kTemplates = axon::testdata::kDefaultTemplateDir;
const char* const kFiles[] = {"bold.nii.gz",        "atlas.nii.gz",           "brainmask.nii.gz",
                              "true_motion.tsv",    "true_confounds.tsv",     "true_region_signals.tsv",
                              "true_covariance.tsv", "true_correlation.tsv",  "ground_truth.json"};

FmriOptions options(int64_t volumes, MotionKind motion, double noise, std::uint64_t seed) {
  FmriOptions o;
  o.volumes = volumes;
  o.motion = motion;
  o.noise_percent = noise;
  o.seed = seed;
  return o;
}

// Region means over time (volumes x regions) of a 4D image, by atlas label.
Eigen::MatrixXd region_means(const axon::Image<float>& bold, const axon::Image<int32_t>& atlas,
                             const std::vector<int32_t>& labels) {
  const int64_t n = bold.voxels_per_volume();
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(bold.nt(), static_cast<Eigen::Index>(labels.size()));
  Eigen::VectorXd counts = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(labels.size()));
  std::vector<Eigen::Index> column(static_cast<size_t>(n), -1);
  for (int64_t i = 0; i < n; ++i) {
    auto it = std::find(labels.begin(), labels.end(), atlas.data[static_cast<size_t>(i)]);
    if (it == labels.end()) continue;
    column[static_cast<size_t>(i)] = it - labels.begin();
    counts[column[static_cast<size_t>(i)]] += 1;
  }
  for (int64_t t = 0; t < bold.nt(); ++t)
    for (int64_t i = 0; i < n; ++i)
      if (column[static_cast<size_t>(i)] >= 0) sums(t, column[static_cast<size_t>(i)]) += bold.volume(t)[i];
  for (Eigen::Index r = 0; r < sums.cols(); ++r)
    if (counts[r] > 0) sums.col(r) /= counts[r];
  return sums;
}

Eigen::MatrixXd sample_correlation(Eigen::MatrixXd x) {
  x.rowwise() -= x.colwise().mean();
  const Eigen::MatrixXd cov = x.transpose() * x;
  const Eigen::VectorXd inv = cov.diagonal().cwiseSqrt().cwiseInverse();
  return inv.asDiagonal() * cov * inv.asDiagonal();
}

// RMS and largest |atanh(r_sample) - atanh(r_true)| over region pairs
// (Fisher's z, whose sampling sd does not depend on the true correlation).
std::pair<double, double> fisher_z_errors(const Eigen::MatrixXd& sample, const Eigen::MatrixXd& truth) {
  double sum2 = 0, worst = 0;
  int pairs = 0;
  for (Eigen::Index i = 0; i < truth.rows(); ++i)
    for (Eigen::Index j = i + 1; j < truth.cols(); ++j) {
      const double d = std::atanh(sample(i, j)) - std::atanh(truth(i, j));
      sum2 += d * d;
      worst = std::max(worst, std::abs(d));
      ++pairs;
    }
  return {std::sqrt(sum2 / pairs), worst};
}

// Mean of atanh(r_sample) - atanh(r_true) over region pairs: a bias.
double mean_error(const Eigen::MatrixXd& sample, const Eigen::MatrixXd& truth) {
  double sum = 0;
  int pairs = 0;
  for (Eigen::Index i = 0; i < truth.rows(); ++i)
    for (Eigen::Index j = i + 1; j < truth.cols(); ++j) {
      sum += std::atanh(sample(i, j)) - std::atanh(truth(i, j));
      ++pairs;
    }
  return sum / pairs;
}

TEST(SyntheticFmri, CoarserGridOfCh2IsExact) {
  const auto ch2 = axon::read_header(kTemplates + "/ch2.nii.gz");
  const axon::Grid g = axon::testdata::coarser_grid(axon::grid_of(ch2), 3.0);
  EXPECT_EQ(g.dims, (std::array<int64_t, 3>{61, 73, 61}));
  // Same first voxel centre, 3 mm axes: the last centres are ch2's too
  // (180 and 216 mm are multiples of 3).
  Eigen::Matrix4d expected = axon::grid_of(ch2).affine;
  expected.topLeftCorner<3, 3>() *= 3.0;
  EXPECT_TRUE(g.affine.isApprox(expected, 1e-12));
  EXPECT_TRUE(g.world(60, 72, 60).isApprox(axon::grid_of(ch2).world(180, 216, 180)));
}

TEST(SyntheticFmri, HeaderAtlasAndMaskOnThe3mmGrid) {
  ScratchDir dir;
  const auto fmri = axon::testdata::make_synthetic_fmri(options(12, MotionKind::none, 1.0, 5));
  axon::testdata::write_synthetic_fmri(fmri, dir.str());
  for (const char* name : kFiles) EXPECT_TRUE(std::filesystem::exists(dir / name)) << name;

  const auto header = axon::read_header(dir / "bold.nii.gz");
  EXPECT_EQ(header.datatype, static_cast<int>(axon::DataType::float32));
  EXPECT_EQ(header.ndim(), 4);
  EXPECT_EQ(header.nt(), 12);
  EXPECT_DOUBLE_EQ(header.repetition_time(), 2.0);
  EXPECT_EQ(header.time_units, 8);  // NIFTI_UNITS_SEC
  EXPECT_EQ(header.sform_code, 4);  // MNI, as ch2
  EXPECT_DOUBLE_EQ(header.pixdim[1], 3.0);

  // Nearest neighbour onto a grid whose centres are every third ch2 voxel is
  // exact subsampling: check every voxel against the 1 mm atlas and mask.
  const auto atlas = axon::read_image<int32_t>(dir / "atlas.nii.gz");
  const auto mask = axon::read_image<int32_t>(dir / "brainmask.nii.gz");
  EXPECT_EQ(atlas.header.datatype, static_cast<int>(axon::DataType::int16));
  EXPECT_TRUE(axon::same_grid(axon::grid_of(atlas.header), axon::grid_of(header)));
  const auto aal = axon::read_volume<int32_t>(kTemplates + "/aal.nii.gz");
  const auto bet = axon::read_volume<float>(kTemplates + "/ch2bet.nii.gz");
  std::set<int32_t> present;
  int64_t mismatches = 0, brain = 0;
  for (int64_t k = 0; k < atlas.nz(); ++k)
    for (int64_t j = 0; j < atlas.ny(); ++j)
      for (int64_t i = 0; i < atlas.nx(); ++i) {
        mismatches += atlas.at(i, j, k) != aal.at(3 * i, 3 * j, 3 * k);
        mismatches += mask.at(i, j, k) != (bet.at(3 * i, 3 * j, 3 * k) > 0 ? 1 : 0);
        brain += mask.at(i, j, k);
        if (atlas.at(i, j, k) != 0) present.insert(atlas.at(i, j, k));
      }
  EXPECT_EQ(mismatches, 0);
  ASSERT_FALSE(present.empty());
  EXPECT_GE(*present.begin(), 1);
  EXPECT_LE(*present.rbegin(), 116);

  // The truth lists all 116 AAL regions; those without a voxel are the
  // empty regions, and the others are exactly the labels present.
  const auto truth = axon::read_json(dir / "ground_truth.json");
  ASSERT_EQ(truth["regions"].size(), 116u);
  std::set<int32_t> nonempty, empty;
  for (const auto& r : truth["regions"])
    (r["voxels"].get<int64_t>() > 0 ? nonempty : empty).insert(r["label"].get<int32_t>());
  for (const auto& r : truth["empty_regions"]) EXPECT_TRUE(empty.count(r["label"].get<int32_t>()));
  EXPECT_EQ(truth["empty_regions"].size(), empty.size());
  EXPECT_EQ(nonempty, present);
  EXPECT_EQ(truth["tissue_voxels"]["brain"].get<int64_t>(), brain);

  // Square truth matrices with the AAL names as header.
  const auto corr = axon::read_tsv(dir / "true_correlation.tsv");
  ASSERT_EQ(corr.columns.size(), 116u);
  EXPECT_EQ(corr.rows.size(), 116u);
  EXPECT_EQ(corr.columns[0], "Precentral_L");
  EXPECT_EQ(corr.numeric("Precentral_L")[0], 1.0);
}

TEST(SyntheticFmri, SameSeedSameBytesForAnyThreadCountDifferentSeedDiffers) {
  ScratchDir dir;
  const auto o = options(16, MotionKind::jumps, 1.0, 11);
  axon::testdata::write_synthetic_fmri(axon::testdata::make_synthetic_fmri(o), dir / "a");
  axon::apply_thread_count(1);
  axon::testdata::write_synthetic_fmri(axon::testdata::make_synthetic_fmri(o), dir / "b");
  axon::apply_thread_count(axon::resolve_thread_count(std::nullopt));
  auto other = o;
  other.seed = 12;
  axon::testdata::write_synthetic_fmri(axon::testdata::make_synthetic_fmri(other), dir / "c");

  for (const char* name : kFiles) {
    const std::string a = file_bytes(dir / "a/" + name);
    ASSERT_FALSE(a.empty()) << name;
    EXPECT_EQ(a, file_bytes(dir / "b/" + name)) << name << " differs between runs with the same seed";
  }
  // The anatomy is the same; everything random differs.
  EXPECT_EQ(file_bytes(dir / "a/atlas.nii.gz"), file_bytes(dir / "c/atlas.nii.gz"));
  for (const char* name : {"bold.nii.gz", "true_motion.tsv", "true_confounds.tsv", "true_correlation.tsv"})
    EXPECT_NE(file_bytes(dir / "a/" + name), file_bytes(dir / "c/" + name)) << name;
}

TEST(SyntheticFmri, RegionCorrelationsMatchTheTruth) {
  // No motion and no noise: each region's mean is b_r (1 + A s_r(t) + the
  // confounds' combination), so regressing the true confounds (and an
  // intercept) out leaves A b_r s_r(t) projected off p = 6 regressors
  // independent of s. For T iid bivariate-normal samples atanh(r) has sd
  // 1/sqrt(T - 3); after the projection T - p samples remain:
  // 1/sqrt(100 - 6 - 3) = 0.105. Over the 6670 pairs the RMS error should be
  // that sd (+-25 % allows for the pairs' dependence), and the largest error
  // under 5 sd (P(|Z| > 5) * 6670 = 0.004).
  const int64_t T = 100;
  const auto fmri = axon::testdata::make_synthetic_fmri(options(T, MotionKind::none, 0.0, 2024));
  std::vector<Eigen::Index> used;
  for (size_t r = 0; r < fmri.labels.size(); ++r)
    if (fmri.voxels_per_label[r] > 0) used.push_back(static_cast<Eigen::Index>(r));
  ASSERT_GT(used.size(), 100u);
  const Eigen::MatrixXd all_means = region_means(fmri.bold, fmri.atlas, fmri.labels);
  Eigen::MatrixXd means(T, static_cast<Eigen::Index>(used.size()));
  Eigen::MatrixXd truth(means.cols(), means.cols());
  for (Eigen::Index a = 0; a < means.cols(); ++a) {
    means.col(a) = all_means.col(used[static_cast<size_t>(a)]);
    for (Eigen::Index b = 0; b < means.cols(); ++b)
      truth(a, b) = fmri.correlation(used[static_cast<size_t>(a)], used[static_cast<size_t>(b)]);
  }

  std::vector<Eigen::Index> varying;
  for (Eigen::Index c = 0; c < fmri.confounds.cols(); ++c)
    if (fmri.confounds.col(c).norm() > 0) varying.push_back(c);
  Eigen::MatrixXd x(T, 1 + static_cast<Eigen::Index>(varying.size()));
  x.col(0).setOnes();
  for (size_t k = 0; k < varying.size(); ++k) x.col(static_cast<Eigen::Index>(k) + 1) = fmri.confounds.col(varying[k]);
  const Eigen::MatrixXd residual = means - x * x.colPivHouseholderQr().solve(means);

  const double sd = 1.0 / std::sqrt(static_cast<double>(T - x.cols() - 3));
  const auto [rms, worst] = fisher_z_errors(sample_correlation(residual), truth);
  EXPECT_GT(rms, 0.75 * sd);  // smaller would mean the signals are not random samples
  EXPECT_LT(rms, 1.25 * sd);
  EXPECT_LT(worst, 5 * sd);

  // No bias either: the mean error over pairs is near 0. The pairs share
  // regions, so take the 116 regions, not the 6670 pairs, as the number of
  // independent errors: 3 * 0.105 / sqrt(116) = 0.03.
  EXPECT_LT(std::abs(mean_error(sample_correlation(residual), truth)), 0.03);

  // The confounds are really in the data and shared: without regressing
  // them out, every correlation is pulled up (global signal and drift add a
  // common component of about 0.5-2 % against the regions' ~2 %).
  EXPECT_GT(mean_error(sample_correlation(means), truth), 0.03 + 0.03);
}

TEST(SyntheticFmri, JumpsAreWhereTheMotionFileSays) {
  ScratchDir dir;
  FmriOptions o = options(40, MotionKind::jumps, 0.5, 77);
  o.jumps = 3;
  axon::testdata::write_synthetic_fmri(axon::testdata::make_synthetic_fmri(o), dir.str());
  const auto truth = axon::read_json(dir / "ground_truth.json");
  const auto jumps = truth["motion"]["jump_volumes"].get<std::vector<int64_t>>();
  ASSERT_EQ(jumps.size(), 3u);

  const auto motion = axon::read_tsv(dir / "true_motion.tsv");
  ASSERT_EQ(motion.columns, (std::vector<std::string>{"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"}));
  ASSERT_EQ(motion.rows.size(), 40u);
  std::vector<std::vector<double>> p;
  for (const auto& c : motion.columns) p.push_back(motion.numeric(c));
  for (int j = 0; j < 6; ++j) EXPECT_EQ(p[static_cast<size_t>(j)][0], 0.0);  // volume 0 is the reference

  // Each jump is a translation of 0.5-2 mm and a rotation of 0.5-2 degrees;
  // the drift adds at most 0.8 pi / 40 = 0.063 per volume to each.
  const double kDeg = 3.14159265358979323846 / 180, slack = 0.07 * std::sqrt(3.0);
  std::vector<double> shift(40, 0.0);
  for (size_t t = 1; t < 40; ++t) {
    Eigen::Vector3d dt, dr;
    for (int j = 0; j < 3; ++j) {
      dt[j] = p[static_cast<size_t>(j)][t] - p[static_cast<size_t>(j)][t - 1];
      dr[j] = (p[static_cast<size_t>(j + 3)][t] - p[static_cast<size_t>(j + 3)][t - 1]) / kDeg;
    }
    shift[t] = dt.norm();
    const bool is_jump = std::count(jumps.begin(), jumps.end(), static_cast<int64_t>(t)) > 0;
    if (is_jump) {
      EXPECT_GT(dt.norm(), 0.5 - slack) << "volume " << t;
      EXPECT_LT(dt.norm(), 2.0 + slack) << "volume " << t;
      EXPECT_GT(dr.norm(), 0.5 - slack) << "volume " << t;
      EXPECT_LT(dr.norm(), 2.0 + slack) << "volume " << t;
    } else {
      EXPECT_LT(dt.norm(), slack) << "volume " << t;
      EXPECT_LT(dr.norm(), slack) << "volume " << t;
    }
  }

  // And in the images: the largest changes between consecutive volumes
  // inside the brain are at the jump volumes.
  const auto bold = axon::read_image<float>(dir / "bold.nii.gz");
  const auto mask = axon::read_image<int32_t>(dir / "brainmask.nii.gz");
  std::vector<std::pair<double, int64_t>> change;
  for (int64_t t = 1; t < bold.nt(); ++t) {
    double sum = 0;
    for (int64_t i = 0; i < bold.voxels_per_volume(); ++i)
      if (mask.data[static_cast<size_t>(i)]) sum += std::abs(bold.volume(t)[i] - bold.volume(t - 1)[i]);
    change.emplace_back(sum, t);
  }
  std::sort(change.rbegin(), change.rend());
  std::vector<int64_t> top = {change[0].second, change[1].second, change[2].second};
  std::sort(top.begin(), top.end());
  EXPECT_EQ(top, jumps);
}

TEST(SyntheticFmri, MotionDoesNotChangeTheOtherIngredients) {
  // Separate RNG streams: with the same seed, switching motion off changes
  // the motion (and the motion signal) only.
  const auto moving = axon::testdata::make_synthetic_fmri(options(12, MotionKind::jumps, 1.0, 3));
  const auto still = axon::testdata::make_synthetic_fmri(options(12, MotionKind::none, 1.0, 3));
  EXPECT_TRUE(moving.region_signals == still.region_signals);
  EXPECT_TRUE(moving.truth.covariance == still.truth.covariance);
  EXPECT_TRUE(moving.confounds.leftCols(4) == still.confounds.leftCols(4));
  EXPECT_GT(moving.confounds.col(4).norm(), 0.0);
  EXPECT_EQ(still.confounds.col(4).norm(), 0.0);
  EXPECT_TRUE(still.motion.jump_volumes.empty());
  // Volume 0 is the reference in both, so (noise included) it is the same.
  EXPECT_TRUE(std::equal(moving.bold.volume(0), moving.bold.volume(1), still.bold.volume(0)));
  EXPECT_FALSE(std::equal(moving.bold.volume(11), moving.bold.volume(11) + moving.bold.voxels_per_volume(),
                          still.bold.volume(11)));
}

TEST(SyntheticFmri, RejectsImpossibleOptions) {
  EXPECT_THROW(axon::testdata::make_synthetic_fmri(options(1, MotionKind::none, 1.0, 1)), axon::UsageError);
  FmriOptions o = options(10, MotionKind::jumps, 1.0, 1);
  o.jumps = 5;  // 5 jumps 3 volumes apart do not fit in 10 volumes
  EXPECT_THROW(axon::testdata::make_synthetic_fmri(o), axon::UsageError);
  o = options(10, MotionKind::none, -1.0, 1);
  EXPECT_THROW(axon::testdata::make_synthetic_fmri(o), axon::UsageError);
}

}  // namespace
