#pragma once
// One linear stage (rigid: itk::Euler3DTransform, 6 parameters; affine:
// itk::AffineTransform, 12) through ITK's v4 registration method, multi-
// resolution (registration_options.hpp). ANTs' optimiser: conjugate
// gradient with a golden-section line search, parameter scales from the
// physical shift of the sample points, the step re-estimated every
// iteration (at most half a voxel of the level, the line search may double
// it), convergence when the metric changes by < 1e-6 over 10 iterations.
//
// Deterministic for any thread count: the metric is sampled on a regular
// grid with jitter seeded by options.seed, and evaluated in one work unit
// (ITK 5.2's Mattes metric merges its per-thread histograms of a global
// transform in whatever order the threads finish).
#include "axon/register/image_pair.hpp"
#include "axon/register/registration_options.hpp"
#include "axon/register/stage_report.hpp"
#include "axon/register/transform.hpp"

namespace axon::registration {

// `initial` (a rigid stage keeps only its translation and rotation) refined
// by the stage; the result keeps initial.centre as its centre.
LinearTransform run_linear_stage(Stage stage, const ImagePair& images, const RegistrationOptions& options,
                                 const LinearTransform& initial, StageReport& report);

}  // namespace axon::registration
