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
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "axon/image/grid.hpp"
#include "axon/image/image.hpp"
#include "axon/image/rigid.hpp"

namespace axon::motion {

enum class RegistrationMetric {
  mean_squares,  // same modality, same intensity scale: BOLD volumes of one run
  correlation,   // normalised cross-correlation: tolerant of global intensity changes
};

enum class RigidOptimizer {
  regular_step,  // itk::RegularStepGradientDescentOptimizerv4
  bfgs,          // quasi-Newton (BFGS) with a backtracking line search, ours (quiet)
};

struct RigidRegistrationOptions {
  RegistrationMetric metric = RegistrationMetric::correlation;
  RigidOptimizer optimizer = RigidOptimizer::bfgs;
  // Resolution schedule, coarse to fine: the stride of the sample points
  // and the Gaussian smoothing (sigma, voxels) of both images per level.
  std::vector<unsigned> shrink_factors{2, 1};
  std::vector<double> smoothing_sigmas{1.5, 0.0};
  double sample_fraction = 0.1;       // of the voxels, those with the strongest gradient
  // false: values and gradient from one cubic B-spline (consistent, what
  // BFGS needs); true: ITK's default linear interpolation with a
  // Gaussian-smoothed gradient image (inconsistent: biased, slow to converge).
  bool gradient_filter = false;
  int64_t iterations = 200;           // metric evaluations per level (BFGS), iterations (regular step)
  double learning_rate = 1.0;         // initial step, in mm of physical shift
  double minimum_step = 1e-3;         // convergence: step below this (mm)
  double relaxation = 0.5;            // step shrink on a change of direction
  double step_tolerance = 1e-4;       // BFGS convergence: a step below this (mm at the sample points)
};

// A reference volume prepared once for many registrations: its smoothed
// copy and sample points per level. Read-only after construction, so one
// instance serves every thread.
class RigidReference {
 public:
  RigidReference(const Image<float>& reference, const RigidRegistrationOptions& options);
  ~RigidReference();
  // The motion of `moving` (3D, on the reference's grid) relative to the
  // reference, starting from `initial`, through levels first..last.
  RigidParams register_volume(const Image<float>& moving, const RigidParams& initial = {},
                              std::size_t first_level = 0, std::size_t last_level = SIZE_MAX) const;
  std::size_t levels() const { return levels_.size(); }
  int64_t evaluations() const { return evaluations_.load(); }

 private:
  struct Level;
  RigidRegistrationOptions options_;
  Grid grid_;
  Eigen::Vector3d centre_;
  std::vector<std::shared_ptr<Level>> levels_;
  mutable std::atomic<int64_t> evaluations_{0};
};

// The method in one line, for sidecars: metric, optimiser, levels, sampling.
std::string describe(const RigidRegistrationOptions& options);

// One registration (builds a RigidReference for `fixed`).
RigidParams register_rigid(const Image<float>& fixed, const Image<float>& moving,
                           const RigidRegistrationOptions& options, const RigidParams& initial = {});

}  // namespace axon::motion
