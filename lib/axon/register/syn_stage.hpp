#pragma once
// The deformable stage: symmetric normalisation (SyN; Avants et al. 2008,
// Med Image Anal 12:26) as ITK implements it (itk::SyNImageRegistrationMethod),
// with ANTs' neighbourhood cross-correlation as the metric, starting from
// the linear transform of the stages before it. The result is a pair of
// displacement fields on the fixed grid: `forward` maps a fixed point x to
// x + u(x), which the linear transform then maps into the moving image;
// `inverse` undoes it (x' + v(x') for a point x' = linear^-1(moving point)).
// SyN itself runs on a grid no finer than options.grid_spacing_mm
// (coarse_grid.hpp); its fields are interpolated onto the fixed grid.
//
// Threads: the metric is computed voxel by voxel with its value summed in
// slab order (with masks, ITK's metric in a fixed number of work units whose
// sums are added in unit order), and every other step of ITK's SyN is a
// per-voxel filter, so the fields do not depend on the thread count.
#include "axon/register/image_pair.hpp"
#include "axon/register/registration_options.hpp"
#include "axon/register/stage_report.hpp"
#include "axon/register/transform.hpp"

namespace axon::registration {

struct SynFields {
  DisplacementField forward, inverse;
};

SynFields run_syn_stage(const ImagePair& images, const ImageHeader& fixed_header, const RegistrationOptions& options,
                        const LinearTransform& linear, StageReport& report);

}  // namespace axon::registration
