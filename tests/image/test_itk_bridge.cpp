#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include "axon/image/itk_bridge.hpp"
#include "axon/io/nifti.hpp"

TEST(ItkBridge, ObliqueGridSurvivesTheTripThroughItk) {
  axon::Grid g;
  g.dims = {10, 12, 14};
  Eigen::Matrix3d rot = (Eigen::AngleAxisd(0.3, Eigen::Vector3d::UnitZ()) *
                         Eigen::AngleAxisd(-0.2, Eigen::Vector3d::UnitX())).toRotationMatrix();
  g.affine.setIdentity();
  g.affine.block<3, 3>(0, 0) = rot * Eigen::Vector3d(2.0, 2.5, 3.0).asDiagonal();
  g.affine.block<3, 1>(0, 3) = Eigen::Vector3d(-40, 17, 5);
  auto img = axon::ItkVolume<float>::New();
  axon::set_itk_geometry(img, g);
  axon::Grid back = axon::grid_of_itk(img);
  EXPECT_EQ(back.dims, g.dims);
  EXPECT_LT((back.affine - g.affine).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(ItkBridge, ViewSharesMemoryAndMapsVoxelsToLpsPoints) {
  auto ch2 = axon::read_image<float>("/usr/share/mricron/templates/ch2.nii.gz");
  auto view = axon::itk_view(ch2);
  EXPECT_EQ(view->GetBufferPointer(), ch2.data.data());  // no copy
  axon::ItkVolume<float>::IndexType idx = {{10, 20, 30}};
  axon::ItkVolume<float>::PointType p;
  view->TransformIndexToPhysicalPoint(idx, p);
  Eigen::Vector3d ras = axon::grid_of(ch2.header).world(10, 20, 30);
  EXPECT_NEAR(p[0], -ras[0], 1e-9);  // LPS = (-R, -A, S)
  EXPECT_NEAR(p[1], -ras[1], 1e-9);
  EXPECT_NEAR(p[2], ras[2], 1e-9);
  EXPECT_EQ(view->GetPixel(idx), ch2.at(10, 20, 30));
}
