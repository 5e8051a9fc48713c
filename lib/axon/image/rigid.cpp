#include "axon/image/rigid.hpp"

#include <itkAffineTransform.h>
#include <itkResampleImageFilter.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/itk_bridge.hpp"
#include "axon/image/itk_interpolator.hpp"

namespace axon {

Eigen::Vector3d grid_centre_ras(const ImageHeader& header) {
  const Grid grid = grid_of(header);
  return grid.world(0.5 * static_cast<double>(grid.dims[0] - 1), 0.5 * static_cast<double>(grid.dims[1] - 1),
                    0.5 * static_cast<double>(grid.dims[2] - 1));
}

Eigen::Matrix3d rigid_rotation(const RigidParams& p) {
  const Eigen::Matrix3d rx = Eigen::AngleAxisd(p.rx, Eigen::Vector3d::UnitX()).toRotationMatrix();
  const Eigen::Matrix3d ry = Eigen::AngleAxisd(p.ry, Eigen::Vector3d::UnitY()).toRotationMatrix();
  const Eigen::Matrix3d rz = Eigen::AngleAxisd(p.rz, Eigen::Vector3d::UnitZ()).toRotationMatrix();
  return rz * ry * rx;
}

Eigen::Matrix4d rigid_matrix(const RigidParams& p, const Eigen::Vector3d& c) {
  const Eigen::Matrix3d r = rigid_rotation(p);
  Eigen::Matrix4d m = Eigen::Matrix4d::Identity();
  m.topLeftCorner<3, 3>() = r;
  m.topRightCorner<3, 1>() = c + Eigen::Vector3d(p.tx, p.ty, p.tz) - r * c;
  return m;
}

RigidParams rigid_params_from_matrix(const Eigen::Matrix4d& m, const Eigen::Vector3d& c) {
  const Eigen::Matrix3d r = m.topLeftCorner<3, 3>();
  // R = Rz Ry Rx has R(2,0) = -sin(ry), R(2,1) = cos(ry) sin(rx),
  // R(2,2) = cos(ry) cos(rx), R(1,0) = sin(rz) cos(ry), R(0,0) = cos(rz) cos(ry).
  RigidParams p;
  p.ry = std::asin(std::clamp(-r(2, 0), -1.0, 1.0));
  p.rx = std::atan2(r(2, 1), r(2, 2));
  p.rz = std::atan2(r(1, 0), r(0, 0));
  // m's translation column is c + t - R c.
  const Eigen::Vector3d t = m.topRightCorner<3, 1>() - c + r * c;
  p.tx = t.x();
  p.ty = t.y();
  p.tz = t.z();
  return p;
}

RigidParams inverse_rigid(const RigidParams& params, const Eigen::Vector3d& c) {
  return rigid_params_from_matrix(rigid_matrix(params, c).inverse(), c);
}

Image<float> apply_rigid(const Image<float>& volume3d, const RigidParams& params, Interpolation interpolation,
                         float outside) {
  if (volume3d.nt() != 1)
    throw InputError("", "apply_rigid needs a 3D volume, got " + std::to_string(volume3d.nt()) + " volumes");
  using Volume = ItkVolume<float>;

  // ResampleImageFilter asks the transform, for each OUTPUT point, where to
  // read the INPUT: that is M^-1 (moved(q) = reference(M^-1 q)). ITK points
  // are LPS, so the RAS transform is conjugated by F = diag(-1, -1, 1).
  const Eigen::Matrix4d flip = Eigen::Vector4d(-1, -1, 1, 1).asDiagonal();
  const Eigen::Matrix4d to_input_lps = flip * rigid_matrix(params, grid_centre_ras(volume3d.header)).inverse() * flip;
  auto transform = itk::AffineTransform<double, 3>::New();
  itk::AffineTransform<double, 3>::MatrixType matrix;
  itk::AffineTransform<double, 3>::OutputVectorType offset;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) matrix[r][c] = to_input_lps(r, c);
    offset[r] = to_input_lps(r, 3);
  }
  transform->SetMatrix(matrix);
  transform->SetOffset(offset);

  auto input = itk_view(volume3d);
  auto filter = itk::ResampleImageFilter<Volume, Volume, double>::New();
  filter->SetInput(input);
  filter->SetTransform(transform);
  filter->SetOutputParametersFromImage(input);
  filter->SetDefaultPixelValue(outside);
  filter->SetInterpolator(make_itk_interpolator<float>(interpolation));
  filter->Update();
  Image<float> out;
  out.header = volume3d.header;
  out.data.resize(volume3d.data.size());
  copy_from_itk(filter->GetOutput(), out);
  return out;
}

}  // namespace axon
