#pragma once
// Rigid registration of one 3D volume to a reference volume on the same
// grid, through ITK's v4 framework, with the result in axon's motion
// convention (axon/image/rigid.hpp).
//
// ITK's registration finds T with moving(T(x)) ~ fixed(x): T maps a point
// of the reference (fixed) to where the same tissue sits in the moving
// volume, i.e. exactly the motion M of rigid.hpp (moved(M p) = reference(p)).
// ITK works in LPS: T_lps = F M F with F = diag(-1, -1, 1). We use
// itk::Euler3DTransform with ComputeZYX (R = Rz Ry Rx, as ours) and its
// centre at the grid centre (F c), so that in LPS its angles are
// (-rot_x, -rot_y, rot_z) and translation (-trans_x, -trans_y, trans_z).
// The conversion back is done on the 4x4 matrix (F T F, then
// rigid_params_from_matrix about c), which does not depend on that
// bookkeeping being right.
#include <optional>

#include "axon/image/image.hpp"
#include "axon/image/rigid.hpp"

namespace axon::motion {

enum class RegistrationMetric {
  mean_squares,  // same modality, same intensity scale: BOLD volumes of one run
  correlation,   // normalised cross-correlation: tolerant of global intensity changes
};

struct RigidRegistrationOptions {
  // Correlation is the default: the BOLD series drifts and fluctuates in
  // intensity, which biases mean squares (on the synthetic run of
  // tests/motion, 0.24 mm RMS translation error with mean squares, 0.12 mm
  // with correlation).
  RegistrationMetric metric = RegistrationMetric::correlation;
  // Multi-resolution schedule, coarse to fine: shrink factors and Gaussian
  // smoothing sigmas in voxels (the last level at full resolution, unsmoothed).
  std::vector<unsigned> shrink_factors{4, 2, 1};
  std::vector<double> smoothing_sigmas{2.0, 1.0, 0.0};
  unsigned iterations = 500;          // per level
  double learning_rate = 1.0;         // initial step, in mm of physical shift
  double minimum_step = 1e-5;         // convergence: step below this (mm)
  double relaxation = 0.8;            // step shrink on a change of direction (0.5 stops early)
};

// The motion of `moving` relative to `fixed` (both 3D, same grid; the grid
// is checked), starting from `initial`. The metric uses every voxel: a
// brain mask through itk::ImageMaskSpatialObject biased the translations by
// up to 0.4 mm on our LPS-direction images (ITK 5.2), while the whole field
// of view recovers a known motion to about 0.01 mm. Runs single-threaded
// inside (ITK work units = 1), so callers parallelise over volumes and the
// result does not depend on the thread count.
RigidParams register_rigid(const Image<float>& fixed, const Image<float>& moving,
                           const RigidRegistrationOptions& options, const RigidParams& initial = {});

}  // namespace axon::motion
