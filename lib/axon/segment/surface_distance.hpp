#pragma once
// Surfaces of binary volumes and distances to them, in millimetres with the
// grid's (possibly anisotropic) voxel sizes: the building blocks of HD95
// and the average symmetric surface distance.
#include <array>
#include <cstdint>
#include <vector>

#include "axon/image/grid.hpp"

namespace axon::segment {

// One byte per voxel of a grid, x fastest: 1 inside, 0 outside.
using BinaryVolume = std::vector<std::uint8_t>;

// Voxels of `region` with at least one face neighbour (6-neighbourhood)
// outside it; voxels on the image border count as surface (the outside of
// the image is background). This is `region ^ binary_erosion(region)` with
// scipy's default cross structure and border value 0, as MedPy computes it.
BinaryVolume surface_voxels(const BinaryVolume& region, const std::array<int64_t, 3>& dims);

// For every voxel, the Euclidean distance (mm, voxel sizes from `grid`) to
// the nearest voxel of `set`; 0 on the set. Exact (ITK's Maurer transform).
// `set` must not be empty.
std::vector<double> distance_to_set(const BinaryVolume& set, const Grid& grid);

}  // namespace axon::segment
