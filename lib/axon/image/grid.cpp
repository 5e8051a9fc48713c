#include "axon/image/grid.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <sstream>

#include "axon/core/error.hpp"

namespace axon {

Eigen::Vector3d Grid::spacing() const {
  return {affine.block<3, 1>(0, 0).norm(), affine.block<3, 1>(0, 1).norm(), affine.block<3, 1>(0, 2).norm()};
}

Eigen::Vector3d Grid::world(double i, double j, double k) const {
  Eigen::Vector4d v = affine * Eigen::Vector4d(i, j, k, 1.0);
  return v.head<3>();
}

std::string Grid::orientation() const {
  // For each voxel axis, the world axis it mostly points along and its sign
  // (the same rule as nibabel's aff2axcodes for non-oblique images).
  std::string code;
  const char pos[3] = {'R', 'A', 'S'}, neg[3] = {'L', 'P', 'I'};
  for (int c = 0; c < 3; ++c) {
    Eigen::Vector3d col = affine.block<3, 1>(0, c);
    int axis = 0;
    col.cwiseAbs().maxCoeff(&axis);
    code += col[axis] >= 0 ? pos[axis] : neg[axis];
  }
  return code;
}

Grid grid_of(const ImageHeader& h) {
  Grid g;
  g.dims = {h.nx(), h.ny(), h.nz()};
  g.affine = h.affine();
  return g;
}

bool same_grid(const Grid& a, const Grid& b, double tolerance_mm) {
  if (a.dims != b.dims) return false;
  return (a.affine - b.affine).cwiseAbs().maxCoeff() <= tolerance_mm;
}

void require_same_grid(const Grid& a, const std::string& path_a, const Grid& b, const std::string& path_b) {
  if (same_grid(a, b)) return;
  std::ostringstream msg;
  msg << "is not on the grid of " << path_a << " (" << b.dims[0] << "x" << b.dims[1] << "x" << b.dims[2] << " vs "
      << a.dims[0] << "x" << a.dims[1] << "x" << a.dims[2];
  if (a.dims == b.dims) msg << ", affines differ by up to " << (a.affine - b.affine).cwiseAbs().maxCoeff() << " mm";
  msg << "); resample it first (axon-image resample --like)";
  throw InputError(path_b, msg.str());
}

ImageHeader header_for_grid(const ImageHeader& like, const Grid& grid) {
  ImageHeader h = like;
  h.dim[1] = grid.dims[0];
  h.dim[2] = grid.dims[1];
  h.dim[3] = grid.dims[2];
  if (h.dim[0] < 3) h.dim[0] = 3;
  int qcode = like.qform_code > 0 ? like.qform_code : (like.sform_code > 0 ? like.sform_code : 2);
  int scode = like.sform_code > 0 ? like.sform_code : (like.qform_code > 0 ? like.qform_code : 2);
  h.set_affine(grid.affine, qcode, scode);
  return h;
}

bool grids_overlap(const Grid& a, const Grid& b) {
  auto box = [](const Grid& g) {
    Eigen::Vector3d lo = Eigen::Vector3d::Constant(1e300), hi = Eigen::Vector3d::Constant(-1e300);
    for (int c = 0; c < 8; ++c) {
      Eigen::Vector3d w = g.world((c & 1) ? g.dims[0] - 1 : 0, (c & 2) ? g.dims[1] - 1 : 0, (c & 4) ? g.dims[2] - 1 : 0);
      lo = lo.cwiseMin(w);
      hi = hi.cwiseMax(w);
    }
    return std::make_pair(lo, hi);
  };
  auto [alo, ahi] = box(a);
  auto [blo, bhi] = box(b);
  for (int i = 0; i < 3; ++i)
    if (ahi[i] < blo[i] || bhi[i] < alo[i]) return false;
  return true;
}

}  // namespace axon
