// Super-resolution geometry and data consistency: the HR grid puts the mean
// of every block of HR voxel centres on its LR voxel centre (any affine),
// block averaging is the degradation model, and the SR output averages back
// to the LR input exactly.
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <cmath>

#include "axon/denoise/super_resolution.hpp"

using namespace axon;
using namespace axon::denoise;

TEST(SuperResolution, BlockCentresOfTheFineGridSitOnTheCoarseVoxels) {
  Grid lr;
  lr.dims = {7, 5, 4};
  // oblique, anisotropic, shifted
  Eigen::Matrix3d r = (Eigen::AngleAxisd(0.3, Eigen::Vector3d::UnitZ()) * Eigen::AngleAxisd(-0.2, Eigen::Vector3d::UnitX()))
                          .toRotationMatrix();
  lr.affine.topLeftCorner<3, 3>() = r * Eigen::Vector3d(2.0, 3.0, 1.5).asDiagonal();
  lr.affine.topRightCorner<3, 1>() = Eigen::Vector3d(-90.0, 12.5, 40.0);
  const Factors f{2, 3, 1};
  const Grid hr = upsampled_grid(lr, f);
  EXPECT_EQ(hr.dims[0], 14);
  EXPECT_EQ(hr.dims[1], 15);
  EXPECT_EQ(hr.dims[2], 4);
  EXPECT_NEAR(hr.spacing()[0], 1.0, 1e-12);
  EXPECT_NEAR(hr.spacing()[1], 1.0, 1e-12);
  EXPECT_NEAR(hr.spacing()[2], 1.5, 1e-12);
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 5; ++j)
      for (int i = 0; i < 7; ++i) {
        Eigen::Vector3d mean = Eigen::Vector3d::Zero();
        for (int c = 0; c < f[2]; ++c)
          for (int b = 0; b < f[1]; ++b)
            for (int a = 0; a < f[0]; ++a) mean += hr.world(i * f[0] + a, j * f[1] + b, k * f[2] + c);
        mean /= f[0] * f[1] * f[2];
        ASSERT_LT((mean - lr.world(i, j, k)).norm(), 1e-9) << i << " " << j << " " << k;
      }
  // The simplest case by hand: 2 mm voxels from x = 10 become 1 mm voxels from 9.5.
  Grid iso;
  iso.dims = {3, 3, 3};
  iso.affine.topLeftCorner<3, 3>() = 2.0 * Eigen::Matrix3d::Identity();
  iso.affine.topRightCorner<3, 1>() = Eigen::Vector3d(10, 20, 30);
  const Grid up = upsampled_grid(iso, {2, 2, 2});
  EXPECT_NEAR(up.affine(0, 3), 9.5, 1e-12);
  EXPECT_NEAR(up.affine(1, 3), 19.5, 1e-12);
  EXPECT_NEAR(up.affine(0, 0), 1.0, 1e-12);
}

TEST(SuperResolution, BlockMeanDownsampling) {
  const std::array<int64_t, 3> d{4, 2, 2};
  std::vector<float> hr(16);
  for (std::size_t i = 0; i < 16; ++i) hr[i] = static_cast<float>(i);
  const auto lr = block_mean_downsample(hr, d, {2, 2, 2});
  ASSERT_EQ(lr.size(), 2u);
  // block 0: x 0-1, y 0-1, z 0-1 = {0,1,4,5,8,9,12,13}
  EXPECT_FLOAT_EQ(lr[0], 6.5f);
  EXPECT_FLOAT_EQ(lr[1], 8.5f);
  EXPECT_THROW(block_mean_downsample(hr, {5, 2, 2}, {2, 2, 2}), std::invalid_argument);
}

TEST(SuperResolution, OutputAveragesBackToTheInput) {
  Image<float> lr;
  lr.header.dim = {3, 12, 12, 12, 1, 1, 1, 1};
  lr.header.pixdim = {1, 2, 2, 2, 1, 1, 1, 1};
  Eigen::Matrix4d a = Eigen::Matrix4d::Identity();
  a.topLeftCorner<3, 3>() *= 2.0;
  lr.header.set_affine(a, 1, 1);
  lr.data.resize(12 * 12 * 12);
  for (int64_t k = 0; k < 12; ++k)
    for (int64_t j = 0; j < 12; ++j)
      for (int64_t i = 0; i < 12; ++i)
        lr.data[static_cast<std::size_t>((k * 12 + j) * 12 + i)] =
            static_cast<float>(100 + 50 * ((i - 6) * (i - 6) + (j - 5) * (j - 5) + (k - 6) * (k - 6) < 16) + 3 * i);
  SrOptions o;
  const auto r = super_resolve(lr, {2, 2, 2}, o);
  ASSERT_EQ(r.image.nx(), 24);
  const auto back = block_mean_downsample(r.image.data, {24, 24, 24}, {2, 2, 2});
  for (std::size_t v = 0; v < back.size(); ++v) ASSERT_NEAR(back[v], lr.data[v], 1e-3) << v;
}
