#pragma once
// Binary morphology in millimetres, on exact distance maps (so anisotropic
// voxels get round structuring elements), and connected components.
#include <array>
#include <cstdint>
#include <vector>

#include "axon/image/grid.hpp"
#include "axon/segment/surface_distance.hpp"

namespace axon::segment {

// Voxels farther than r mm from every voxel outside `set` (erosion by a ball).
BinaryVolume erode_mm(const BinaryVolume& set, const Grid& grid, double r);
// Voxels within r mm of `set` (dilation by a ball).
BinaryVolume dilate_mm(const BinaryVolume& set, const Grid& grid, double r);
// Dilation then erosion by r mm.
BinaryVolume close_mm(const BinaryVolume& set, const Grid& grid, double r);

// 6- (faces) or 26-connected (faces, edges, corners) components: labels 1..
// in order of the first voxel met in memory order (deterministic), 0
// outside; `sizes[l]` voxels of label l.
std::vector<int32_t> connected_components(const BinaryVolume& set, const std::array<int64_t, 3>& dims,
                                          std::vector<int64_t>& sizes, int connectivity = 6);
// The largest 6-connected component (the first one on ties); empty stays empty.
BinaryVolume largest_component(const BinaryVolume& set, const std::array<int64_t, 3>& dims);
// `set` plus every background voxel not 6-connected to the image border.
BinaryVolume fill_holes(const BinaryVolume& set, const std::array<int64_t, 3>& dims);

}  // namespace axon::segment
