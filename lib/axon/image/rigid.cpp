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

Image<float> move_rigid_linear(const Image<float>& volume, const RigidParams& params, float outside) {
  const Grid g = grid_of(volume.header);
  // Output voxel -> input voxel: A^-1 M^-1 A (moved(q) = input(M^-1 q)).
  const Eigen::Matrix4d to_input =
      g.affine.inverse() * rigid_matrix(params, grid_centre_ras(volume.header)).inverse() * g.affine;
  const int64_t nx = volume.nx(), ny = volume.ny(), nz = volume.nz();
  Image<float> out;
  out.header = volume.header;
  out.data.assign(volume.data.size(), outside);
  const float* in = volume.data.data();
  float* dst = out.data.data();
  const int64_t n[3] = {nx, ny, nz};
  const int64_t stride[3] = {1, nx, nx * ny};
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < nz; ++k)
    for (int64_t j = 0; j < ny; ++j) {
      const Eigen::Vector4d row = to_input * Eigen::Vector4d(0.0, static_cast<double>(j), static_cast<double>(k), 1.0);
      for (int64_t i = 0; i < nx; ++i) {
        const double c[3] = {row[0] + to_input(0, 0) * i, row[1] + to_input(1, 0) * i, row[2] + to_input(2, 0) * i};
        int64_t lo[3], hi[3];
        double w[3];
        bool inside = true;
        for (int a = 0; a < 3 && inside; ++a) {
          // ITK's linear interpolator: inside for -0.5 <= c < n - 0.5, the
          // neighbours clamped to the grid.
          if (!(c[a] >= -0.5 && c[a] < n[a] - 0.5)) inside = false;
          const double f = std::floor(c[a]);
          w[a] = c[a] - f;
          lo[a] = std::clamp<int64_t>(static_cast<int64_t>(f), 0, n[a] - 1) * stride[a];
          hi[a] = std::clamp<int64_t>(static_cast<int64_t>(f) + 1, 0, n[a] - 1) * stride[a];
        }
        if (!inside) continue;
        const double c00 = in[lo[0] + lo[1] + lo[2]] * (1 - w[0]) + in[hi[0] + lo[1] + lo[2]] * w[0];
        const double c10 = in[lo[0] + hi[1] + lo[2]] * (1 - w[0]) + in[hi[0] + hi[1] + lo[2]] * w[0];
        const double c01 = in[lo[0] + lo[1] + hi[2]] * (1 - w[0]) + in[hi[0] + lo[1] + hi[2]] * w[0];
        const double c11 = in[lo[0] + hi[1] + hi[2]] * (1 - w[0]) + in[hi[0] + hi[1] + hi[2]] * w[0];
        const double c0 = c00 * (1 - w[1]) + c10 * w[1], c1 = c01 * (1 - w[1]) + c11 * w[1];
        dst[i + j * nx + k * nx * ny] = static_cast<float>(c0 * (1 - w[2]) + c1 * w[2]);
      }
    }
  return out;
}

}  // namespace axon
