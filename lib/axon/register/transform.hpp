#pragma once
// Transforms as axon-register writes and reads them. Every transform here is
// in ITK's (and ANTs') sense: it maps a point of the fixed (reference) space
// to the point of the moving space whose value is pulled there, so that
// warped(x) = moving(T(x)). Points are LPS millimetres (ITK's world
// coordinates: x to the Left, y Posterior, z Superior; NIfTI's RAS with the
// first two axes negated).
#include <Eigen/Core>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "axon/image/image.hpp"

namespace axon::registration {

// y = A x + b (LPS mm) as a 4x4 matrix, plus the centre that ITK stores as
// the fixed parameters of an affine transform file (a choice of
// parametrisation: it does not change the map).
struct LinearTransform {
  Eigen::Matrix4d matrix = Eigen::Matrix4d::Identity();
  Eigen::Vector3d centre = Eigen::Vector3d::Zero();
  // The exact inverse (same centre mapped through the matrix).
  LinearTransform inverse() const;
  Eigen::Vector3d apply(const Eigen::Vector3d& point_lps) const;
};

// A dense displacement field, x -> x + d(x) with d in LPS mm, as ANTs
// writes it: a NIfTI image on the fixed grid with dim = {5, nx, ny, nz, 1,
// 3}, intent vector (1007), float32. `image` holds it exactly as on disk:
// three volumes, volume c the c-th (LPS) component.
struct DisplacementField {
  Image<float> image;
};

// One transform of a chain: a linear transform or a field, and where it
// came from (for messages and provenance).
struct TransformStep {
  std::string path;
  std::optional<LinearTransform> linear;
  std::shared_ptr<const DisplacementField> field;
};

// Transforms in antsApplyTransforms' command-line order: a reference point
// x is mapped by the FIRST step first, then by the next, ...:
// T(x) = step[n-1](...step[1](step[0](x))). (ANTs' "the last transform is
// applied first" speaks of the image, not of the points.) axon-register run
// writes PREFIX1Warp.nii.gz and PREFIX0GenericAffine.txt, applied as
// {PREFIX1Warp.nii.gz, PREFIX0GenericAffine.txt}: a fixed point is
// displaced by the warp, then mapped by the affine into the moving space.
using TransformChain = std::vector<TransformStep>;

}  // namespace axon::registration
