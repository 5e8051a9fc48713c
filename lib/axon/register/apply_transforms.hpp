#pragma once
// Resampling an image through a chain of transforms (transform.hpp) onto a
// reference grid: output(x) = input(T(x)) for every voxel centre x of the
// reference, T the chain (antsApplyTransforms' order and meaning).
#include <string>
#include <vector>

#include <Eigen/Core>

#include "axon/image/image.hpp"
#include "axon/register/transform.hpp"

namespace axon::registration {

enum class ApplyInterpolation {
  linear,   // trilinear
  bspline,  // cubic B-spline
  nearest,  // nearest neighbour
  label,    // per-label Gaussian-weighted vote (itk::LabelImageGaussianInterpolateImageFunction,
            // sigma half the input's voxel size, cut off at 3 sigma): every output value is one of the input's
};
ApplyInterpolation parse_apply_interpolation(const std::string& name);  // UsageError otherwise
const char* interpolation_name(ApplyInterpolation interpolation);

// Every volume of `input` (3D or 4D) through `chain` onto the grid of
// `reference`. The output takes the reference's dims, pixdim[1..3], both
// transforms and their codes, and keeps the input's time axis, datatype
// and scaling (linear and cubic interpolation of an integer image give
// float32). Points mapped outside the input get `outside`; a field is the
// identity outside its own grid.
Image<float> apply_transforms(const Image<float>& input, const ImageHeader& reference, const TransformChain& chain,
                              ApplyInterpolation interpolation, float outside = 0.0f);

// World points (LPS mm) through the chain.
std::vector<Eigen::Vector3d> transform_points(const TransformChain& chain, const std::vector<Eigen::Vector3d>& points_lps);

}  // namespace axon::registration
