#pragma once
// Rigid realignment of every volume of a BOLD series to one reference, as
// FSL's MCFLIRT does it (Jenkinson et al. 2002, NeuroImage 17:825): a first
// pass aligns every volume to a single reference volume (the middle one),
// the aligned volumes are averaged, and a second pass aligns every volume
// to that mean, which is sharper and less noisy than any single volume.
#include <cstdint>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/image/rigid.hpp"
#include "axon/motion/register_rigid.hpp"

namespace axon::motion {

enum class ReferenceKind {
  mean,    // two passes: middle volume, then the mean of the aligned series
  median,  // the same, with the voxel-wise median (robust to a few outlying volumes)
  volume,  // one pass to a given volume (first = volume 0)
};

struct RealignOptions {
  ReferenceKind reference = ReferenceKind::mean;
  int64_t reference_volume = 0;  // with ReferenceKind::volume
  RigidRegistrationOptions registration;
};

struct RealignResult {
  // Where the head is in volume t relative to the reference image (the
  // transform the reslicing inverts).
  std::vector<RigidParams> to_reference;
  // Where the head is in volume t relative to volume 0 (volume 0 is all
  // zeros): M_t M_0^-1, the parameters reported in the confounds, which
  // compare directly with a truth file whose volume 0 is the reference.
  std::vector<RigidParams> relative_to_first;
  Image<float> reference;  // the reference the final pass aligned to (3D)
};

// `bold` is a 4D series in memory (at least 2 volumes).
// Volumes are registered in parallel (OpenMP), each independently from the
// identity, so the result is the same for any thread count.
RealignResult realign_series(const Image<float>& bold, const RealignOptions& options);

// The series resampled into the reference's space (linear interpolation):
// volume t at p is the original volume t at M_t p, with M_t = to_reference[t].
// Voxels that come from outside the field of view are 0.
Image<float> reslice_series(const Image<float>& bold, const std::vector<RigidParams>& to_reference);

}  // namespace axon::motion
