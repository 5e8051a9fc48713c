#pragma once
// 4D series <-> matrices of voxels x time under a mask (Eigen, column-major:
// column t holds volume t, so streaming volumes fills contiguous memory).
#include <Eigen/Core>

#include "axon/image/image.hpp"
#include "axon/image/mask.hpp"

namespace axon {

// Rows follow mask.indices. The image must be on the mask's grid.
Eigen::MatrixXf series_to_matrix(const Image<float>& series, const Mask& mask);

// The inverse: a 4D image (3D when one column) on `like`'s grid with zeros
// outside the mask, float32 on disk.
Image<float> matrix_to_series(const Eigen::MatrixXf& matrix, const Mask& mask, const ImageHeader& like);

}  // namespace axon
