#include "axon/image/rigid.hpp"

#include <itkAffineTransform.h>
#include <itkResampleImageFilter.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <vector>

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

RigidLinearSampler::RigidLinearSampler(const Image<float>& volume, const RigidParams& params, float outside)
    : in_(volume.data.data()), n_{volume.nx(), volume.ny(), volume.nz()}, outside_(outside) {
  identity_ = params.tx == 0 && params.ty == 0 && params.tz == 0 && params.rx == 0 && params.ry == 0 && params.rz == 0;
  const Grid g = grid_of(volume.header);
  // Output voxel -> input voxel: A^-1 M^-1 A (moved(q) = input(M^-1 q)).
  const Eigen::Matrix4d to_input =
      g.affine.inverse() * rigid_matrix(params, grid_centre_ras(volume.header)).inverse() * g.affine;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) to_input_[r][c] = to_input(r, c);
}

void RigidLinearSampler::row(int64_t j, int64_t k, float* out) const {
  const int64_t nx = n_[0], ny = n_[1];
  if (identity_) {
    std::copy(in_ + (j + k * ny) * nx, in_ + (j + k * ny + 1) * nx, out);
    return;
  }
  // Sample point of voxel i: c = r + d i (input voxel coordinates).
  double r[3], d[3];
  for (int a = 0; a < 3; ++a) {
    r[a] = to_input_[a][1] * static_cast<double>(j) + to_input_[a][2] * static_cast<double>(k) + to_input_[a][3];
    d[a] = to_input_[a][0];
  }
  // ITK's linear interpolator: inside for -0.5 <= c < n - 0.5 on every axis.
  auto inside = [&](int64_t i) {
    for (int a = 0; a < 3; ++a) {
      const double c = r[a] + d[a] * static_cast<double>(i);
      if (!(c >= -0.5 && c < static_cast<double>(n_[a]) - 0.5)) return false;
    }
    return true;
  };
  // Each coordinate is monotone in i, so the inside voxels are one interval
  // [first, last): estimated in real arithmetic, then settled by the exact
  // test above, so that no voxel needs the test (or a clamp) in the loop.
  double lo = 0, hi = static_cast<double>(nx - 1);
  for (int a = 0; a < 3; ++a) {
    if (d[a] == 0) {
      if (!(r[a] >= -0.5 && r[a] < static_cast<double>(n_[a]) - 0.5)) lo = 1, hi = 0;
      continue;
    }
    const double t1 = (-0.5 - r[a]) / d[a], t2 = (static_cast<double>(n_[a]) - 0.5 - r[a]) / d[a];
    lo = std::max(lo, std::min(t1, t2));
    hi = std::min(hi, std::max(t1, t2));
  }
  int64_t first = nx, last = nx;
  if (lo <= hi + 4) {
    first = static_cast<int64_t>(std::clamp(std::ceil(lo) - 2, 0.0, static_cast<double>(nx)));
    last = static_cast<int64_t>(std::clamp(std::floor(hi) + 3, 0.0, static_cast<double>(nx)));
    while (first < last && !inside(first)) ++first;
    while (last > first && !inside(last - 1)) --last;
  }
  std::fill(out, out + first, outside_);
  std::fill(out + last, out + nx, outside_);
  if (first >= last) return;
  // Two passes over the inside interval, so that the compiler vectorises
  // the first: each voxel's cell (its lower neighbour per axis, clamped
  // like ITK's) and weights, in float (a position error of about 1e-5
  // voxel); then the eight neighbours are read and blended.
  thread_local std::vector<float> weights;
  thread_local std::vector<int32_t> cells;
  const int64_t count = last - first;
  weights.resize(static_cast<std::size_t>(3 * count));
  cells.resize(static_cast<std::size_t>(6 * count));
  for (int a = 0; a < 3; ++a) {
    const float start = static_cast<float>(r[a] + d[a] * static_cast<double>(first)), step = static_cast<float>(d[a]);
    const int32_t top = static_cast<int32_t>(n_[a] - 1);
    float* __restrict w = weights.data() + a * count;
    int32_t* __restrict lo = cells.data() + 2 * a * count;
    int32_t* __restrict hi = lo + count;
    for (int32_t i = 0; i < static_cast<int32_t>(count); ++i) {
      const float c = start + step * static_cast<float>(i);
      const int32_t t = static_cast<int32_t>(c);  // c > -1: truncation is the floor but in (-1, 0)
      const int32_t f = t - (static_cast<float>(t) > c ? 1 : 0);
      w[i] = c - static_cast<float>(f);
      lo[i] = f < 0 ? 0 : f;
      hi[i] = f + 1 > top ? top : f + 1;
    }
  }
  const int64_t sy = nx, sz = nx * ny;
  const float* in = in_;
  float* o = out + first;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t x0 = cells[i], x1 = cells[count + i];
    const int64_t y0 = cells[2 * count + i] * sy, y1 = cells[3 * count + i] * sy;
    const int64_t z0 = cells[4 * count + i] * sz, z1 = cells[5 * count + i] * sz;
    const float wx = weights[i], wy = weights[count + i], wz = weights[2 * count + i];
    const float* p00 = in + y0 + z0;
    const float* p10 = in + y1 + z0;
    const float* p01 = in + y0 + z1;
    const float* p11 = in + y1 + z1;
    const float c00 = p00[x0] + (p00[x1] - p00[x0]) * wx, c10 = p10[x0] + (p10[x1] - p10[x0]) * wx;
    const float c01 = p01[x0] + (p01[x1] - p01[x0]) * wx, c11 = p11[x0] + (p11[x1] - p11[x0]) * wx;
    const float c0 = c00 + (c10 - c00) * wy, c1 = c01 + (c11 - c01) * wy;
    o[i] = c0 + (c1 - c0) * wz;
  }
}

Image<float> move_rigid_linear(const Image<float>& volume, const RigidParams& params, float outside) {
  const RigidLinearSampler sampler(volume, params, outside);
  const int64_t nx = volume.nx(), ny = volume.ny(), nz = volume.nz();
  Image<float> out;
  out.header = volume.header;
  out.data.resize(volume.data.size());
  float* dst = out.data.data();
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < nz; ++k)
    for (int64_t j = 0; j < ny; ++j) sampler.row(j, k, dst + (j + k * ny) * nx);
  return out;
}

}  // namespace axon
