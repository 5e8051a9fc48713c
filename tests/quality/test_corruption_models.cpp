// The motion corruption models beside the k-space simulator (shots: moves
// between interleaved shots; drift: continuous drift): each checked against
// the model written out plainly (direct DFT in double), and for what every
// model must do: zero motion gives the input back, the image-domain error
// grows with the motion, the same seed gives the same bytes for any thread
// count.
#include <gtest/gtest.h>
#include <omp.h>

#include <Eigen/Dense>
#include <cmath>
#include <complex>
#include <cstring>

#include "axon/core/error.hpp"
#include "axon/quality/corruption_models.hpp"
#include "axon/quality/drift_motion.hpp"
#include "axon/quality/shot_motion.hpp"
#include "quality_test_data.hpp"

namespace q = axon::quality;
using axon::quality::test::ch2_3mm;

namespace {

const q::CorruptionModel kModels[3] = {q::CorruptionModel::kspace, q::CorruptionModel::shots,
                                       q::CorruptionModel::drift};

float peak_of(const axon::Image<float>& v) {
  float peak = 0;
  for (float x : v.data) peak = std::max(peak, std::abs(x));
  return peak;
}

double rms_difference(const axon::Image<float>& a, const axon::Image<float>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) sum += std::pow(double(a.data[i]) - double(b.data[i]), 2);
  return std::sqrt(sum / static_cast<double>(a.data.size()));
}

// A block of ch2 at 3 mm (odd and even lengths), as in test_motion_simulation.
axon::Image<float> ch2_block(int64_t nx, int64_t ny, int64_t nz) {
  const auto& clean = ch2_3mm();
  axon::Image<float> out;
  out.header = clean.header;
  out.header.dim[1] = nx, out.header.dim[2] = ny, out.header.dim[3] = nz;
  out.data.resize(static_cast<std::size_t>(nx * ny * nz));
  for (int64_t k = 0; k < nz; ++k)
    for (int64_t j = 0; j < ny; ++j)
      for (int64_t i = 0; i < nx; ++i) out.at(i, j, k) = clean.at(i + 20, j + 25, k + 20);
  return out;
}

// The largest difference between `out` and the model written plainly: bin
// b of every phase-encode line from the DFT (direct sums, double) of the
// volume moved by pose_of_bin[b], scaled by scale_of_bin[b], transformed
// back (direct sums), magnitude.
double worst_against_direct_dft(const axon::Image<float>& vol, const axon::Image<float>& out, int axis,
                                const std::vector<axon::RigidParams>& pose_of_bin,
                                const std::vector<double>& scale_of_bin) {
  const int64_t dims[3] = {vol.nx(), vol.ny(), vol.nz()}, n = dims[axis];
  std::vector<axon::Image<float>> moved;
  for (const auto& p : pose_of_bin) moved.push_back(axon::move_rigid_linear(vol, p, 0.0f));
  double worst = 0;
  int64_t idx[3];
  const int a = axis, b = axis == 0 ? 1 : 0, c = axis == 2 ? 1 : 2;
  for (idx[c] = 0; idx[c] < dims[c]; ++idx[c])
    for (idx[b] = 0; idx[b] < dims[b]; ++idx[b]) {
      std::vector<std::complex<double>> spectrum(n);
      for (int64_t bin = 0; bin < n; ++bin)
        for (int64_t t = 0; t < n; ++t) {
          idx[a] = t;
          spectrum[bin] += scale_of_bin[bin] * static_cast<double>(moved[bin].at(idx[0], idx[1], idx[2])) *
                           std::polar(1.0, -2 * M_PI * static_cast<double>(bin * t) / static_cast<double>(n));
        }
      for (int64_t t = 0; t < n; ++t) {
        std::complex<double> x = 0;
        for (int64_t bin = 0; bin < n; ++bin)
          x += spectrum[bin] * std::polar(1.0, 2 * M_PI * static_cast<double>(bin * t) / static_cast<double>(n));
        idx[a] = t;
        worst = std::max(worst, std::abs(std::abs(x) / static_cast<double>(n) - out.at(idx[0], idx[1], idx[2])));
      }
    }
  return worst;
}

int64_t signed_f(int64_t bin, int64_t n) { return bin < (n + 1) / 2 ? bin : bin - n; }

std::vector<double> ghost_of(const std::optional<q::Ghosting>& g, int64_t n) {
  std::vector<double> scale(n, 1.0);
  for (int64_t bin = 0; bin < n; ++bin) {
    const int64_t f = signed_f(bin, n);
    if (g && f != 0 && f % g->period == 0) scale[bin] = 1 - g->intensity;
  }
  return scale;
}

}  // namespace

TEST(CorruptionModels, NamesRoundTripAndUnknownIsAUsageError) {
  for (const auto m : kModels) EXPECT_EQ(q::parse_corruption_model(q::corruption_model_name(m)), m);
  const auto list = q::parse_corruption_models("kspace,drift");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1], q::CorruptionModel::drift);
  EXPECT_THROW(q::parse_corruption_model("torchio"), axon::UsageError);
  EXPECT_THROW(q::parse_corruption_models(","), axon::UsageError);
}

TEST(CorruptionModels, ZeroMotionGivesTheInputBackOnEveryAxis) {
  const auto& clean = ch2_3mm();
  const float peak = peak_of(clean);
  q::MotionSettings none;
  none.max_degrees = 0, none.max_translation_mm = 0, none.transforms = 5;
  for (const auto m : kModels)
    for (int axis = 0; axis < 3; ++axis) {
      const auto out = q::corrupt(clean, m, none, axis, 3);
      float worst = 0;
      for (std::size_t i = 0; i < clean.data.size(); ++i) worst = std::max(worst, std::abs(out.data[i] - clean.data[i]));
      EXPECT_LT(worst, 1e-5f * peak) << q::corruption_model_name(m) << " axis " << axis;
    }
}

TEST(ShotMotion, MatchesTheModelComputedByDirectDft) {
  // Every line from the pose of its shot ((f + n/2) mod shots), poses
  // relative to the shot of the centre line, ghosting included; odd and even
  // lengths along every axis.
  const auto vol = ch2_block(13, 10, 11);
  const double peak = peak_of(vol);
  for (int axis = 0; axis < 3; ++axis) {
    q::MotionSettings s = q::severity_settings("high");
    s.ghosting = true;
    const auto plan = q::draw_shot_plan(s, axis, 40 + axis);
    ASSERT_GE(plan.shots, 2);
    ASSERT_EQ(static_cast<int>(plan.shot_pose.size()), plan.shots);
    const auto out = q::simulate_shot_motion(vol, plan);
    const int64_t n = axis == 0 ? vol.nx() : axis == 1 ? vol.ny() : vol.nz();
    const Eigen::Vector3d zero = Eigen::Vector3d::Zero();
    const Eigen::Matrix4d ref_inverse =
        axon::rigid_matrix(plan.shot_pose[static_cast<std::size_t>((n / 2) % plan.shots)], zero).inverse();
    std::vector<axon::RigidParams> pose_of_bin;
    for (int64_t bin = 0; bin < n; ++bin) {
      const int shot = static_cast<int>((signed_f(bin, n) + n / 2) % plan.shots);
      pose_of_bin.push_back(
          axon::rigid_params_from_matrix(axon::rigid_matrix(plan.shot_pose[shot], zero) * ref_inverse, zero));
    }
    EXPECT_LT(worst_against_direct_dft(vol, out, axis, pose_of_bin, ghost_of(plan.ghosting, n)), 1e-5 * peak)
        << "axis " << axis;
  }
}

TEST(ShotMotion, TwoShotsSpliceIntoTheirImageSpaceForm) {
  // Two shots, even lines from the reference pose (n = 72, n/2 even), odd
  // lines from a moved head: in image space the even half of k-space is the
  // mean of a line and its copy shifted by n/2, so the image must be
  //   | (x + y) / 2 + (x - y)(j - n/2) / 2 |   along each y line,
  // with y the moved volume (move_rigid_linear).
  const auto& clean = ch2_3mm();
  ASSERT_EQ(clean.ny() % 4, 0);
  q::ShotPlan plan;
  plan.axis = 1, plan.shots = 2;
  axon::RigidParams moved;
  moved.tx = 2.5, moved.rz = 0.06, moved.ty = -1.0;
  plan.shot_pose = {axon::RigidParams{}, moved};
  const auto out = q::simulate_shot_motion(clean, plan);
  const auto y = axon::move_rigid_linear(clean, moved, 0.0f);
  const int64_t ny = clean.ny(), half = ny / 2;
  double worst = 0;
  for (int64_t k = 0; k < clean.nz(); ++k)
    for (int64_t j = 0; j < ny; ++j)
      for (int64_t i = 0; i < clean.nx(); ++i) {
        const int64_t js = (j + half) % ny;
        const double expected = std::abs(0.5 * (clean.at(i, j, k) + y.at(i, j, k)) +
                                         0.5 * (clean.at(i, js, k) - y.at(i, js, k)));
        worst = std::max(worst, std::abs(expected - out.at(i, j, k)));
      }
  EXPECT_LT(worst, 1e-4 * peak_of(clean));
  EXPECT_GT(rms_difference(out, clean), 1e-3 * peak_of(clean));
}

TEST(DriftMotion, PoseIsTheIdentityAtTheCentreAndLinearInTheRate) {
  q::DriftPlan plan;
  plan.rate.tx = 4, plan.rate.rz = 0.1;
  plan.oscillation.ty = 1.5, plan.cycles = 2.5, plan.phase = 1.1;
  const auto centre = q::drift_pose(plan, 0.5);
  EXPECT_EQ(centre.tx, 0.0);
  EXPECT_EQ(centre.ty, 0.0);
  EXPECT_EQ(centre.rz, 0.0);
  const auto end = q::drift_pose(plan, 1.0);
  EXPECT_NEAR(end.tx, 2.0, 1e-12);  // half the change, half the acquisition after the centre
  EXPECT_NEAR(end.rz, 0.05, 1e-12);
  EXPECT_NEAR(end.ty, 1.5 * (std::sin(2 * M_PI * 2.5 * 0.5 + 1.1) - std::sin(1.1)), 1e-12);
}

TEST(DriftMotion, MatchesTheModelComputedByDirectDft) {
  // Line f at time t = (f + n/2) / n takes the pose of its step: the drift
  // at 1/2 + round(steps (t - 1/2)) / steps (halves away from zero); few
  // steps (long poses, FFTs) and one per line (direct sums), ghosting on.
  const auto vol = ch2_block(13, 10, 11);
  const double peak = peak_of(vol);
  for (int steps : {3, 64})
    for (int axis = 0; axis < 3; ++axis) {
      q::MotionSettings s = q::severity_settings("high");
      s.ghosting = true;
      q::DriftPlan plan = q::draw_drift_plan(s, axis, 60 + axis);
      plan.steps = steps;
      const auto out = q::simulate_drift(vol, plan);
      const int64_t n = axis == 0 ? vol.nx() : axis == 1 ? vol.ny() : vol.nz();
      std::vector<axon::RigidParams> pose_of_bin;
      for (int64_t bin = 0; bin < n; ++bin) {
        const double t = static_cast<double>(signed_f(bin, n) + n / 2) / static_cast<double>(n);
        const double step = std::round((t - 0.5) * steps);
        pose_of_bin.push_back(q::drift_pose(plan, 0.5 + step / steps));
      }
      EXPECT_LT(worst_against_direct_dft(vol, out, axis, pose_of_bin, ghost_of(plan.ghosting, n)), 1e-5 * peak)
          << "axis " << axis << ", " << steps << " steps";
    }
}

TEST(CorruptionModels, ImageErrorGrowsWithTheMotionOnEveryAxis) {
  // The same seed draws the same times, shots and directions; the angles and
  // translations scale with the severity, and so must the error, up to the
  // "medium" and "high" presets' range (far beyond, a head several voxels
  // away from itself is as different as it gets and the RMS error levels off).
  const auto& clean = ch2_3mm();
  for (const auto m : kModels)
    for (int axis = 0; axis < 3; ++axis)
      for (std::uint64_t seed : {5u, 6u}) {
        double previous = 0;
        for (double amount : {0.25, 0.5, 1.0, 2.0, 4.0}) {
          q::MotionSettings s;
          s.max_degrees = amount, s.max_translation_mm = amount, s.transforms = 4;
          const double error = rms_difference(q::corrupt(clean, m, s, axis, seed), clean);
          EXPECT_GT(error, previous) << q::corruption_model_name(m) << " axis " << axis << " seed " << seed
                                     << " at " << amount;
          previous = error;
        }
      }
}

TEST(CorruptionModels, SameSeedSameBytesAnyThreadCountWithAndWithoutGhosting) {
  const auto& clean = ch2_3mm();
  const int before = omp_get_max_threads();
  for (const auto m : kModels)
    for (bool ghosting : {false, true}) {
      q::MotionSettings s = q::severity_settings("medium");
      s.ghosting = ghosting;
      omp_set_num_threads(1);
      const auto one = q::corrupt(clean, m, s, 2, 5);
      omp_set_num_threads(2);
      const auto two = q::corrupt(clean, m, s, 2, 5);
      const auto other = q::corrupt(clean, m, s, 2, 6);
      omp_set_num_threads(before);
      const std::string name = q::corruption_model_name(m) + (ghosting ? " with ghosting" : "");
      EXPECT_EQ(0, std::memcmp(one.data.data(), two.data.data(), one.data.size() * sizeof(float))) << name;
      EXPECT_NE(0, std::memcmp(one.data.data(), other.data.data(), one.data.size() * sizeof(float))) << name;
    }
  // Ghosting is drawn after the poses: the same seed moves the head the same
  // way, and the ghosts change the image.
  for (const auto m : kModels) {
    q::MotionSettings s = q::severity_settings("medium");
    const auto plain = q::corrupt(clean, m, s, 1, 9);
    s.ghosting = true;
    const auto ghosted = q::corrupt(clean, m, s, 1, 9);
    EXPECT_GT(rms_difference(plain, ghosted), 1e-3 * peak_of(clean)) << q::corruption_model_name(m);
  }
}
