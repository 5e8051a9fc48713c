#pragma once
// The spatial grid of an image: voxel counts and the voxel -> world (RAS+,
// mm) affine. Two images share a space when their grids match within a
// tolerance; tools refuse to combine images that do not.
#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <string>

#include "axon/image/header.hpp"

namespace axon {

struct Grid {
  std::array<int64_t, 3> dims{1, 1, 1};
  Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();

  int64_t voxels() const { return dims[0] * dims[1] * dims[2]; }
  Eigen::Vector3d spacing() const;  // column norms of the affine (mm)
  Eigen::Vector3d world(double i, double j, double k) const;
  // Orientation code of the voxel axes, e.g. "RAS", "LPS", "LAS".
  std::string orientation() const;
};

Grid grid_of(const ImageHeader& header);

// True when dims are equal and every affine entry differs by at most
// `tolerance_mm` (scaled by the voxel size for the rotation part).
bool same_grid(const Grid& a, const Grid& b, double tolerance_mm = 1e-3);

// Throws InputError naming `path_b` when `b` is not on the grid of `a`.
void require_same_grid(const Grid& a, const std::string& path_a, const Grid& b, const std::string& path_b);

// A header for a new grid: `like` with dims, pixdim and both transforms set
// from `grid` (codes kept from `like`, or aligned (2) when it had none).
ImageHeader header_for_grid(const ImageHeader& like, const Grid& grid);

// The world bounding boxes (voxel centres) of two grids overlap.
bool grids_overlap(const Grid& a, const Grid& b);

}  // namespace axon
