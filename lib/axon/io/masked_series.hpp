#pragma once
// Reads a 4D series under a mask straight into a voxels x time matrix,
// streaming one volume at a time: peak memory is the matrix plus one volume,
// never the whole 4D series (a 2 mm, 1200-volume run is ~4 GB as float32).
#include <Eigen/Core>
#include <string>

#include "axon/image/mask.hpp"

namespace axon {

// The series at `path` must be on the mask's grid (InputError otherwise).
Eigen::MatrixXf read_masked_series(const std::string& path, const Mask& mask);

}  // namespace axon
