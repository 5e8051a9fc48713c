#pragma once
// Where registration starts: the translation that brings the fixed image's
// centre onto the moving image's (geometric centres of the grids, or
// intensity centres of mass inside the masks), or the identity. The centre
// of the returned transform (the point rotations and scalings act about)
// is the fixed image's centre in both cases.
#include "axon/image/image.hpp"
#include "axon/register/registration_options.hpp"
#include "axon/register/transform.hpp"

namespace axon::registration {

// The LPS centre of the voxel grid, or the centre of mass of the voxels
// > 0 (negative intensities weigh nothing) within `mask` (nullable).
Eigen::Vector3d grid_centre_lps(const ImageHeader& header);
Eigen::Vector3d centre_of_mass_lps(const Image<float>& image, const Image<float>* mask);

LinearTransform initial_transform(const Image<float>& fixed, const Image<float>& moving, const Image<float>* fixed_mask,
                                  const Image<float>* moving_mask, Initialisation how);

}  // namespace axon::registration
