// The rigid-motion convention of axon/image/rigid.hpp and apply_rigid's
// resampling, on small synthetic volumes whose answer is known.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/rigid.hpp"

namespace {

constexpr double kPi = 3.14159265358979323846;

// An n^3 volume with `voxel` mm voxels; `flip_x` makes the x axis point
// Left (an LAS grid, like many scanners' output), which catches RAS/LPS slips.
axon::Image<float> volume(int n, double voxel, bool flip_x = false) {
  axon::Image<float> im;
  im.header.dim = {3, n, n, n, 1, 1, 1, 1};
  im.header.pixdim = {1, voxel, voxel, voxel, 0, 0, 0, 0};
  Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
  affine.diagonal().head<3>().setConstant(voxel);
  if (flip_x) affine(0, 0) = -voxel;
  affine.topRightCorner<3, 1>() = Eigen::Vector3d(flip_x ? 20.0 : -20.0, -30.0, -10.0);
  im.header.set_affine(affine, 1, 1);
  im.data.assign(static_cast<size_t>(n) * n * n, 0.0f);
  return im;
}

// A Gaussian blob of width `sigma_mm` around world point `centre`.
void add_blob(axon::Image<float>& im, const Eigen::Vector3d& centre, double sigma_mm) {
  const axon::Grid g = axon::grid_of(im.header);
  for (int64_t k = 0; k < im.nz(); ++k)
    for (int64_t j = 0; j < im.ny(); ++j)
      for (int64_t i = 0; i < im.nx(); ++i) {
        const double d2 = (g.world(i, j, k) - centre).squaredNorm();
        im.at(i, j, k) += static_cast<float>(1000.0 * std::exp(-0.5 * d2 / (sigma_mm * sigma_mm)));
      }
}

Eigen::Vector3d centroid(const axon::Image<float>& im) {
  const axon::Grid g = axon::grid_of(im.header);
  Eigen::Vector3d sum = Eigen::Vector3d::Zero();
  double mass = 0;
  for (int64_t k = 0; k < im.nz(); ++k)
    for (int64_t j = 0; j < im.ny(); ++j)
      for (int64_t i = 0; i < im.nx(); ++i) {
        sum += im.at(i, j, k) * g.world(i, j, k);
        mass += im.at(i, j, k);
      }
  return sum / mass;
}

Eigen::Vector3d apply(const Eigen::Matrix4d& m, const Eigen::Vector3d& p) {
  return (m * p.homogeneous()).head<3>();
}

TEST(Rigid, ZeroParametersAreTheIdentity) {
  EXPECT_TRUE(axon::rigid_matrix({}, Eigen::Vector3d(3, -4, 5)).isApprox(Eigen::Matrix4d::Identity()));
}

TEST(Rigid, RotationsAreRightHandedAboutTheCentre) {
  const Eigen::Vector3d c(10, -20, 30);
  axon::RigidParams rz;
  rz.rz = kPi / 2;
  // +x turns towards +y about the centre; the centre itself stays.
  EXPECT_TRUE(apply(axon::rigid_matrix(rz, c), c + Eigen::Vector3d(5, 0, 0)).isApprox(c + Eigen::Vector3d(0, 5, 0)));
  EXPECT_TRUE(apply(axon::rigid_matrix(rz, c), c).isApprox(c));
  axon::RigidParams rx;
  rx.rx = kPi / 2;  // +y towards +z
  EXPECT_TRUE(apply(axon::rigid_matrix(rx, c), c + Eigen::Vector3d(0, 5, 0)).isApprox(c + Eigen::Vector3d(0, 0, 5)));
  axon::RigidParams ry;
  ry.ry = kPi / 2;  // +z towards +x
  EXPECT_TRUE(apply(axon::rigid_matrix(ry, c), c + Eigen::Vector3d(0, 0, 5)).isApprox(c + Eigen::Vector3d(5, 0, 0)));
}

TEST(Rigid, RotationOrderIsZafterYafterX) {
  // Rz*Ry*Rx: x first. 90 deg about x takes +y to +z, which 90 deg about z
  // leaves alone. The other order (z first) would take +y to -x.
  axon::RigidParams p;
  p.rx = kPi / 2;
  p.rz = kPi / 2;
  const Eigen::Vector3d c = Eigen::Vector3d::Zero();
  EXPECT_TRUE(apply(axon::rigid_matrix(p, c), Eigen::Vector3d(0, 1, 0)).isApprox(Eigen::Vector3d(0, 0, 1)));
}

TEST(Rigid, MatrixAndParametersRoundTrip) {
  const Eigen::Vector3d c(1.5, -17, 19);
  const axon::RigidParams p{1.2, -0.7, 2.1, 0.03, -0.02, 0.05};
  const axon::RigidParams q = axon::rigid_params_from_matrix(axon::rigid_matrix(p, c), c);
  EXPECT_NEAR(q.tx, p.tx, 1e-12);
  EXPECT_NEAR(q.ty, p.ty, 1e-12);
  EXPECT_NEAR(q.tz, p.tz, 1e-12);
  EXPECT_NEAR(q.rx, p.rx, 1e-12);
  EXPECT_NEAR(q.ry, p.ry, 1e-12);
  EXPECT_NEAR(q.rz, p.rz, 1e-12);
  const Eigen::Matrix4d both = axon::rigid_matrix(axon::inverse_rigid(p, c), c) * axon::rigid_matrix(p, c);
  EXPECT_TRUE(both.isApprox(Eigen::Matrix4d::Identity(), 1e-12));
}

TEST(Rigid, OneVoxelTranslationShiftsByOneVoxel) {
  for (bool flip_x : {false, true}) {
    auto im = volume(15, 3.0, flip_x);
    im.at(7, 7, 7) = 100;
    im.at(6, 7, 7) = 50;
    axon::RigidParams p;
    p.tx = 3.0;  // one voxel towards Right
    const auto moved = axon::apply_rigid(im, p, axon::Interpolation::linear);
    // RAS grid: Right is +i; LAS grid: Right is -i.
    const int step = flip_x ? -1 : 1;
    EXPECT_NEAR(moved.at(7 + step, 7, 7), 100, 1e-3) << (flip_x ? "LAS" : "RAS");
    EXPECT_NEAR(moved.at(6 + step, 7, 7), 50, 1e-3) << (flip_x ? "LAS" : "RAS");
    EXPECT_NEAR(moved.at(7, 7, 7), flip_x ? 0 : 50, 1e-3);
    p = {};
    p.ty = -3.0;  // one voxel towards Posterior: -j on both grids
    const auto back = axon::apply_rigid(im, p, axon::Interpolation::linear);
    EXPECT_NEAR(back.at(7, 6, 7), 100, 1e-3);
  }
}

TEST(Rigid, NinetyDegreesAboutZMovesAKnownVoxel) {
  auto im = volume(15, 2.0);  // odd size: the grid centre is voxel (7, 7, 7)
  im.at(10, 7, 7) = 100;      // 3 voxels to the Right of the centre
  axon::RigidParams p;
  p.rz = kPi / 2;
  const auto moved = axon::apply_rigid(im, p, axon::Interpolation::nearest);
  EXPECT_FLOAT_EQ(moved.at(7, 10, 7), 100);  // now 3 voxels Anterior
  EXPECT_FLOAT_EQ(moved.at(10, 7, 7), 0);
  double total = 0;
  for (float v : moved.data) total += v;
  EXPECT_FLOAT_EQ(total, 100);
}

TEST(Rigid, BlobMovesWhereTheMatrixSays) {
  for (bool flip_x : {false, true}) {
    auto im = volume(41, 2.0, flip_x);
    const Eigen::Vector3d centre = axon::grid_centre_ras(im.header);
    const Eigen::Vector3d blob = centre + Eigen::Vector3d(8, -6, 5);
    add_blob(im, blob, 4.0);
    const axon::RigidParams p{2.3, -1.1, 0.7, 0.10, -0.05, 0.20};
    const auto moved = axon::apply_rigid(im, p, axon::Interpolation::linear);
    const Eigen::Vector3d expected = apply(axon::rigid_matrix(p, centre), blob);
    // Linear interpolation keeps a smooth blob's centroid to well under a
    // tenth of a voxel; a wrong sign or axis would be off by millimetres.
    EXPECT_LT((centroid(moved) - expected).norm(), 0.05) << (flip_x ? "LAS" : "RAS");
  }
}

TEST(Rigid, ApplyThenInverseIsNearlyTheIdentity) {
  auto im = volume(41, 2.0);
  const Eigen::Vector3d centre = axon::grid_centre_ras(im.header);
  add_blob(im, centre + Eigen::Vector3d(5, 4, -3), 6.0);
  const axon::RigidParams p{1.7, 0.9, -1.3, 0.04, 0.06, -0.08};
  const auto there = axon::apply_rigid(im, p, axon::Interpolation::bspline);
  const auto back = axon::apply_rigid(there, axon::inverse_rigid(p, centre), axon::Interpolation::bspline);
  double worst = 0;
  for (size_t i = 0; i < im.data.size(); ++i) worst = std::max(worst, std::abs(double(back.data[i]) - im.data[i]));
  // Two cubic B-spline resamplings of a blob 3 voxels wide lose well under
  // 1 % of its peak (1000); the motion itself moves the peak by ~100.
  EXPECT_LT(worst, 10.0);
  double moved_by = 0;
  for (size_t i = 0; i < im.data.size(); ++i)
    moved_by = std::max(moved_by, std::abs(double(there.data[i]) - im.data[i]));
  EXPECT_GT(moved_by, 100.0);
}

TEST(Rigid, RefusesA4dVolume) {
  auto im = volume(5, 2.0);
  im.header.set_volumes(2);
  im.data.resize(im.data.size() * 2);
  EXPECT_THROW(axon::apply_rigid(im, {}, axon::Interpolation::linear), axon::InputError);
}

}  // namespace
