// Known transforms of a real head recovered (issue 20, "Correctness,
// measured"): Colin27 with skull at 3 mm is moved by a known rigid, affine
// or smooth deformation (resampled with cubic B-splines), registered back
// to the original, and the recovered transform is composed with the true
// one; what is left is measured at every brain voxel (ch2bet > 0).
//
// Tolerances: rigid 0.1 mm (max over the brain) and 0.1 degree; affine
// 0.2 mm mean; SyN 1 mm mean; forward then inverse field 0.1 mm mean (and
// 0.5 mm at the 99th percentile). They are judged at 3 mm voxels, where
// the images are smoother than at 1 mm; the figures reached are printed.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "axon/register/apply_transforms.hpp"
#include "axon/register/displacement_field.hpp"
#include "axon/register/register_images.hpp"
#include "recovery_fixture.hpp"

namespace {
using namespace axon;
using namespace axon::registration;
constexpr double kDeg = M_PI / 180;

Eigen::Matrix3d rotation(double ax, double ay, double az) {
  return (Eigen::AngleAxisd(az, Eigen::Vector3d::UnitZ()) * Eigen::AngleAxisd(ay, Eigen::Vector3d::UnitY()) *
          Eigen::AngleAxisd(ax, Eigen::Vector3d::UnitX()))
      .toRotationMatrix();
}

// y = A (x - c) + c + t as a LinearTransform about c.
LinearTransform about(const Eigen::Matrix3d& a, const Eigen::Vector3d& t, const Eigen::Vector3d& c) {
  LinearTransform out;
  out.centre = c;
  out.matrix.topLeftCorner<3, 3>() = a;
  out.matrix.topRightCorner<3, 1>() = c + t - a * c;
  return out;
}

Image<float> moved(const Image<float>& image, const TransformChain& truth) {
  return apply_transforms(image, image.header, truth, ApplyInterpolation::bspline);
}

struct Errors {
  double mean = 0, max = 0, p99 = 0;
};
Errors summarise(std::vector<double> e) {
  Errors out;
  for (double v : e) out.mean += v, out.max = std::max(out.max, v);
  out.mean /= static_cast<double>(e.size());
  std::nth_element(e.begin(), e.begin() + static_cast<std::ptrdiff_t>(0.99 * e.size()), e.end());
  out.p99 = e[static_cast<std::size_t>(0.99 * e.size())];
  return out;
}

// |truth(recovered(p)) - p| over the brain: moving(x) = fixed(truth(x)),
// so registration (moving(T(x)) ~ fixed(x)) should find T = truth^-1.
std::vector<double> residuals(const TransformChain& truth, const TransformChain& recovered,
                              const std::vector<Eigen::Vector3d>& points) {
  const auto through = transform_points(truth, transform_points(recovered, points));
  std::vector<double> e(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) e[i] = (through[i] - points[i]).norm();
  return e;
}

RegistrationResult register_to_fixed(const Image<float>& fixed, const Image<float>& moving,
                                     std::vector<Stage> stages) {
  RegistrationOptions options;
  options.stages = std::move(stages);
  return register_images({&fixed, "fixed"}, {&moving, "moving"}, {}, {}, options);
}

TEST(RegisterRecovery, KnownRigidTransformOfARealHead) {
  const auto& colin = test::colin_3mm();
  const auto brain = test::brain_points_lps(colin.brainmask);
  const Eigen::Vector3d centre(0, 18, 18);
  const LinearTransform truth = about(rotation(5 * kDeg, -3 * kDeg, 4 * kDeg), {4, -6, 3}, centre);
  const Image<float> moving = moved(colin.t1, {{"truth", truth, nullptr}});
  const RegistrationResult r = register_to_fixed(colin.t1, moving, {Stage::rigid});
  const Errors e = summarise(residuals({{"truth", truth, nullptr}}, r.forward_chain(), brain));
  const Eigen::Matrix3d left = truth.matrix.topLeftCorner<3, 3>() * r.linear.matrix.topLeftCorner<3, 3>();
  const double angle = std::acos(std::clamp((left.trace() - 1) / 2, -1.0, 1.0)) / kDeg;
  std::printf("rigid (3 mm head, Mattes MI): residual mean %.4f max %.4f mm, rotation %.4f deg, %.1f s\n", e.mean,
              e.max, angle, r.stages[0].seconds);
  EXPECT_LT(e.max, 0.1);
  EXPECT_LT(angle, 0.1);
}

TEST(RegisterRecovery, KnownAffineTransformOfARealHead) {
  const auto& colin = test::colin_3mm();
  const auto brain = test::brain_points_lps(colin.brainmask);
  Eigen::Matrix3d a;
  a << 1.06, 0.04, -0.03, -0.05, 0.95, 0.06, 0.02, -0.04, 1.03;
  const LinearTransform truth = about(rotation(0, 0, 4 * kDeg) * a, {3, -4, 5}, {0, 18, 18});
  const Image<float> moving = moved(colin.t1, {{"truth", truth, nullptr}});
  const RegistrationResult r = register_to_fixed(colin.t1, moving, {Stage::rigid, Stage::affine});
  const Errors e = summarise(residuals({{"truth", truth, nullptr}}, r.forward_chain(), brain));
  std::printf("affine (3 mm head, Mattes MI): residual mean %.4f p99 %.4f max %.4f mm, %.1f s\n", e.mean, e.p99,
              e.max, r.stages[0].seconds + r.stages[1].seconds);
  EXPECT_LT(e.mean, 0.2);
}

// A smooth deformation: four Gaussian bumps (sigma 20 mm) of displacement
// (LPS mm), up to about 8 mm.
Eigen::Vector3d bumps(const Eigen::Vector3d& p) {
  static const double centres[4][3] = {{-30, 10, 20}, {25, -20, 10}, {0, 30, -10}, {5, -45, 25}};
  static const double amplitudes[4][3] = {{6, -4, 3}, {-5, 4, 4}, {3, 6, -5}, {-4, -2, 5}};
  Eigen::Vector3d u = Eigen::Vector3d::Zero();
  for (int b = 0; b < 4; ++b) {
    const Eigen::Vector3d c(centres[b][0], centres[b][1], centres[b][2]);
    const double w = std::exp(-(p - c).squaredNorm() / (2 * 20.0 * 20.0));
    u += w * Eigen::Vector3d(amplitudes[b][0], amplitudes[b][1], amplitudes[b][2]);
  }
  return u;
}

// Colin27 at `spacing_mm` warped by bumps(), registered back with the
// given SyN grid (RegistrationOptions::grid_spacing_mm), errors judged at
// the brain voxels.
void expect_smooth_deformation_recovered(double spacing_mm, double syn_spacing_mm, bool skull_stripped = false) {
  static const testdata::Anatomy colin_1_5mm = testdata::load_anatomy(testdata::kDefaultTemplateDir, 1.5);
  ASSERT_TRUE(spacing_mm == 3.0 || spacing_mm == 1.5);
  testdata::Anatomy colin = spacing_mm == 3.0 ? test::colin_3mm() : colin_1_5mm;
  // Skull-stripped: zero outside the brain, so SyN's grid is cropped to it.
  if (skull_stripped)
    for (std::size_t i = 0; i < colin.t1.data.size(); ++i)
      if (colin.brainmask.data[i] <= 0) colin.t1.data[i] = 0;
  const auto brain = test::brain_points_lps(colin.brainmask);
  // The true field on the head's grid, and the head warped by it.
  DisplacementField field;
  field.image.header = displacement_field_header(colin.t1.header);
  const int64_t n = colin.t1.voxels_per_volume();
  field.image.data.assign(static_cast<std::size_t>(3 * n), 0.0f);
  const Grid grid = grid_of(colin.t1.header);
  for (int64_t k = 0; k < colin.t1.nz(); ++k)
    for (int64_t j = 0; j < colin.t1.ny(); ++j)
      for (int64_t i = 0; i < colin.t1.nx(); ++i) {
        const Eigen::Vector3d ras = grid.world(static_cast<double>(i), static_cast<double>(j), static_cast<double>(k));
        const Eigen::Vector3d u = bumps({-ras[0], -ras[1], ras[2]});
        for (int c = 0; c < 3; ++c) field.image.data[static_cast<std::size_t>(c * n + colin.t1.index(i, j, k))] = static_cast<float>(u[c]);
      }
  const TransformChain truth{{"truth", std::nullopt, std::make_shared<const DisplacementField>(field)}};
  const Image<float> moving = moved(colin.t1, truth);
  RegistrationOptions options;
  options.grid_spacing_mm = syn_spacing_mm;
  const RegistrationResult r = register_images({&colin.t1, "fixed"}, {&moving, "moving"}, {}, {}, options);
  ASSERT_TRUE(r.forward && r.inverse);
  // The fields come back on the fixed grid, whatever grid SyN ran on.
  ASSERT_TRUE(same_grid(grid_of(r.forward->image.header), grid));
  ASSERT_TRUE(same_grid(grid_of(r.inverse->image.header), grid));

  // truth is x + u(x), analytic: residual |y + u(y) - x| with y = recovered(x).
  const auto recovered = transform_points(r.forward_chain(), brain);
  std::vector<double> syn_error(brain.size()), truth_size(brain.size());
  for (std::size_t i = 0; i < brain.size(); ++i) {
    syn_error[i] = (recovered[i] + bumps(recovered[i]) - brain[i]).norm();
    truth_size[i] = bumps(brain[i]).norm();
  }
  // The inverse chain after the forward one: back where it started.
  const auto back = transform_points(r.inverse_chain(), recovered);
  std::vector<double> round_trip(brain.size());
  for (std::size_t i = 0; i < brain.size(); ++i) round_trip[i] = (back[i] - brain[i]).norm();

  const Errors e = summarise(syn_error), t = summarise(truth_size), rt = summarise(round_trip);
  std::printf("SyN (%g mm head%s, SyN grid %g mm, true displacement mean %.2f max %.2f mm): error mean %.3f p99 %.3f "
              "max %.3f mm; forward then inverse: mean %.4f p99 %.4f max %.4f mm; SyN %.1f s\n",
              spacing_mm, skull_stripped ? " skull-stripped" : "", std::max(spacing_mm, syn_spacing_mm), t.mean, t.max, e.mean, e.p99, e.max, rt.mean, rt.p99,
              rt.max, r.stages.back().seconds);
  EXPECT_LT(e.mean, 1.0);
  EXPECT_LT(e.mean, 0.5 * t.mean);  // most of the deformation is recovered, not just small
  EXPECT_LT(rt.mean, 0.1);
  EXPECT_LT(rt.p99, 0.5);
}

TEST(RegisterRecovery, KnownSmoothDeformationBySyN) { expect_smooth_deformation_recovered(3.0, 0.0); }

// The default on a fine head: SyN on a 3 mm grid (half the resolution of
// the 1.5 mm head), its fields interpolated back; the same tolerances.
TEST(RegisterRecovery, KnownSmoothDeformationBySyNOnACoarserGrid) { expect_smooth_deformation_recovered(1.5, 3.0); }

// A skull-stripped head: SyN's grid cropped to the brain (with a 10 mm
// margin), the fields zero beyond; judged in the brain as before.
TEST(RegisterRecovery, KnownSmoothDeformationOfASkullStrippedHead) { expect_smooth_deformation_recovered(3.0, 0.0, true); }

}  // namespace
