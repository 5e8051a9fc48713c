// k-space motion simulation: ground truths the model implies.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <complex>
#include <cstring>

#include "axon/quality/head_masks.hpp"
#include "axon/quality/motion_simulation.hpp"
#include "axon/quality/training_samples.hpp"
#include "quality_test_data.hpp"

namespace q = axon::quality;
using axon::quality::test::ch2_3mm;

TEST(MotionSimulation, ZeroMotionGivesTheInputBack) {
  const auto& clean = ch2_3mm();
  q::MotionSettings none;
  none.max_degrees = 0, none.max_translation_mm = 0, none.transforms = 5;
  for (int axis = 0; axis < 3; ++axis) {
    const auto plan = q::draw_motion_plan(none, axis, 3);
    const auto out = q::simulate_motion(clean, plan);
    float peak = 0, worst = 0;
    for (std::size_t i = 0; i < clean.data.size(); ++i)
      peak = std::max(peak, std::abs(clean.data[i])), worst = std::max(worst, std::abs(out.data[i] - clean.data[i]));
    EXPECT_LT(worst, 1e-5f * peak) << "axis " << axis;  // float precision of two FFTs
    EXPECT_NEAR(q::reference_ssim(out, clean, q::head_mask(clean)).volume, 1.0, 1e-6);
  }
}

TEST(MotionSimulation, ReferencePoseIsTheCentreOfKSpace) {
  const auto plan = q::draw_motion_plan(q::severity_settings("high"), 1, 11);
  const auto& ref = plan.poses[plan.reference_pose].params;
  EXPECT_EQ(plan.reference_pose, q::pose_at(plan, 0.5));
  EXPECT_EQ(ref.tx, 0.0);
  EXPECT_EQ(ref.rz, 0.0);
  EXPECT_EQ(plan.poses.size(), 9u);
  EXPECT_EQ(plan.poses[0].start_time, 0.0);
}

TEST(MotionSimulation, SsimFallsWithSeverityOnAverage) {
  const auto& clean = ch2_3mm();
  const auto mask = q::head_mask(clean);
  double mean[3] = {0, 0, 0};
  const char* levels[3] = {"low", "medium", "high"};
  const int seeds = 4;
  for (int l = 0; l < 3; ++l)
    for (int s = 0; s < seeds; ++s) {
      const auto plan = q::draw_motion_plan(q::severity_settings(levels[l]), 1, 100 + s);
      mean[l] += q::reference_ssim(q::simulate_motion(clean, plan), clean, mask).volume / seeds;
    }
  EXPECT_LT(mean[0], 1.0);
  EXPECT_GT(mean[0], mean[1]);
  EXPECT_GT(mean[1], mean[2]);
}

TEST(MotionSimulation, SameSeedSameBytesAnyThreadCount) {
  const auto& clean = ch2_3mm();
  q::MotionSettings s = q::severity_settings("medium");
  s.ghosting = true;
  const auto plan = q::draw_motion_plan(s, 2, 5);
  const auto again = q::draw_motion_plan(s, 2, 5);
  ASSERT_EQ(plan.poses.size(), again.poses.size());
  for (std::size_t i = 0; i < plan.poses.size(); ++i) EXPECT_EQ(plan.poses[i].params.rx, again.poses[i].params.rx);
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = q::simulate_motion(clean, plan);
  omp_set_num_threads(2);
  const auto two = q::simulate_motion(clean, again);
  omp_set_num_threads(before);
  EXPECT_EQ(0, std::memcmp(one.data.data(), two.data.data(), one.data.size() * sizeof(float)));
  const auto other = q::simulate_motion(clean, q::draw_motion_plan(s, 2, 6));
  EXPECT_NE(0, std::memcmp(one.data.data(), other.data.data(), one.data.size() * sizeof(float)));
}

TEST(MotionSimulation, GhostingAloneMatchesItsImageSpaceForm) {
  // Zero motion, every 4th phase-encode plane but the centre scaled by 0.5.
  // In image space, keeping the planes f = 0 mod 4 is the mean of the four
  // copies of the line shifted by m n/4 (m = 0..3), and the centre plane
  // alone is the line's mean, so the output must be
  //   | x - 0.5 (mean_m x(j - m n/4) - mean_j x) |   along each y line.
  const auto& clean = ch2_3mm();
  q::MotionPlan plan;
  plan.axis = 1;
  plan.poses = {q::Pose{}};
  plan.ghosting = q::Ghosting{4, 0.5};
  const auto out = q::simulate_motion(clean, plan);
  const int64_t nx = clean.nx(), ny = clean.ny(), nz = clean.nz(), shift = ny / 4;
  ASSERT_EQ(ny % 4, 0);
  float peak = 0;
  for (float v : clean.data) peak = std::max(peak, v);
  double worst = 0, ghost_energy = 0;
  for (int64_t k = 0; k < nz; ++k)
    for (int64_t i = 0; i < nx; ++i) {
      double line_mean = 0;
      for (int64_t j = 0; j < ny; ++j) line_mean += clean.at(i, j, k) / static_cast<double>(ny);
      for (int64_t j = 0; j < ny; ++j) {
        double copies = 0;
        for (int m = 0; m < 4; ++m) copies += clean.at(i, (j + ny - m * shift) % ny, k) / 4.0;
        const double expected = std::abs(clean.at(i, j, k) - 0.5 * (copies - line_mean));
        worst = std::max(worst, std::abs(out.at(i, j, k) - expected));
        ghost_energy += std::pow(expected - clean.at(i, j, k), 2);
      }
    }
  EXPECT_LT(worst, 1e-4 * peak);
  EXPECT_GT(ghost_energy, 0);
  EXPECT_LT(q::reference_ssim(out, clean, q::head_mask(clean)).volume, 0.99);
}

TEST(MotionSimulation, FastRigidMoveMatchesItkResampling) {
  const auto& clean = ch2_3mm();
  axon::RigidParams p;
  p.tx = 2.3, p.ty = -4.1, p.tz = 1.7, p.rx = 0.05, p.ry = -0.08, p.rz = 0.11;
  const auto fast = axon::move_rigid_linear(clean, p, 0.0f);
  const auto itk = axon::apply_rigid(clean, p, axon::Interpolation::linear, 0.0f);
  float peak = 0;
  for (float v : clean.data) peak = std::max(peak, std::abs(v));
  std::size_t differ = 0;
  for (std::size_t i = 0; i < clean.data.size(); ++i)
    if (std::abs(fast.data[i] - itk.data[i]) > 1e-4f * peak) ++differ;
  // Only voxels whose sample point falls exactly on the field-of-view edge
  // may be decided differently (ITK's rounding of the border test).
  EXPECT_LT(differ, clean.data.size() / 1000);
}

namespace {
// A block of ch2 at 3 mm with the given size (odd and even lengths).
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
}  // namespace

TEST(MotionSimulation, MatchesTheModelComputedByDirectDft) {
  // The model written out plainly, in double: every pose's moved volume
  // (move_rigid_linear), its full DFT along the phase-encode axis (direct
  // sums, no FFT, no real-input symmetry), the bins taken from the pose of
  // their acquisition time (ghost-scaled), the inverse DFT, the magnitude.
  // Odd and even lengths along every axis; many short poses (whose bins
  // come from direct sums) and two long ones (from FFTs).
  const auto vol = ch2_block(13, 10, 11);
  float peak = 0;
  for (float v : vol.data) peak = std::max(peak, std::abs(v));
  for (int transforms : {8, 1})
    for (int axis = 0; axis < 3; ++axis) {
      q::MotionSettings s = q::severity_settings("high");
      s.ghosting = true;
      s.transforms = transforms;
      const auto plan = q::draw_motion_plan(s, axis, 21 + axis);
      const auto out = q::simulate_motion(vol, plan);
      const int64_t dims[3] = {vol.nx(), vol.ny(), vol.nz()}, n = dims[axis];
      std::vector<axon::Image<float>> moved;
      for (const auto& pose : plan.poses) moved.push_back(axon::move_rigid_linear(vol, pose.params, 0.0f));
      double worst = 0;
      int64_t idx[3];
      const int a = axis, b = axis == 0 ? 1 : 0, c = axis == 2 ? 1 : 2;
      for (idx[c] = 0; idx[c] < dims[c]; ++idx[c])
        for (idx[b] = 0; idx[b] < dims[b]; ++idx[b]) {
          std::vector<std::complex<double>> spectrum(n);
          for (int64_t bin = 0; bin < n; ++bin) {
            const int64_t f = bin < (n + 1) / 2 ? bin : bin - n;
            const int p = q::pose_at(plan, static_cast<double>(f + n / 2) / static_cast<double>(n));
            double scale = 1;
            if (f != 0 && f % plan.ghosting->period == 0) scale = 1 - plan.ghosting->intensity;
            for (int64_t t = 0; t < n; ++t) {
              idx[a] = t;
              spectrum[bin] += scale * static_cast<double>(moved[p].at(idx[0], idx[1], idx[2])) *
                               std::polar(1.0, -2 * M_PI * static_cast<double>(bin * t) / static_cast<double>(n));
            }
          }
          for (int64_t t = 0; t < n; ++t) {
            std::complex<double> x = 0;
            for (int64_t bin = 0; bin < n; ++bin)
              x += spectrum[bin] * std::polar(1.0, 2 * M_PI * static_cast<double>(bin * t) / static_cast<double>(n));
            idx[a] = t;
            worst = std::max(worst, std::abs(std::abs(x) / static_cast<double>(n) - out.at(idx[0], idx[1], idx[2])));
          }
        }
      EXPECT_LT(worst, 1e-5 * peak) << "axis " << axis << ", " << transforms << " changes";
    }
}

TEST(MotionSimulation, RigidSamplerRowsAreTheMovedVolume) {
  const auto& clean = ch2_3mm();
  axon::RigidParams p;
  p.tx = -1.3, p.rz = 0.2, p.ry = 0.04;
  const auto whole = axon::move_rigid_linear(clean, p, 7.0f);
  const axon::RigidLinearSampler sampler(clean, p, 7.0f);
  std::vector<float> row(clean.nx());
  bool same = true, some_outside = false;
  for (int64_t k = 0; k < clean.nz(); k += 7)
    for (int64_t j = 0; j < clean.ny(); ++j) {
      sampler.row(j, k, row.data());
      same = same && std::memcmp(row.data(), &whole.at(0, j, k), row.size() * sizeof(float)) == 0;
      for (float v : row) some_outside = some_outside || v == 7.0f;
    }
  EXPECT_TRUE(same);
  EXPECT_TRUE(some_outside);
  // Zero motion: the input itself.
  const auto still = axon::move_rigid_linear(clean, axon::RigidParams{}, 0.0f);
  EXPECT_EQ(0, std::memcmp(still.data.data(), clean.data.data(), clean.data.size() * sizeof(float)));
}
