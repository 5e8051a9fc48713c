#include "axon/register/register_images.hpp"

#include <Eigen/Dense>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/image/grid.hpp"
#include "axon/register/coarse_grid.hpp"
#include "axon/register/image_pair.hpp"
#include "axon/register/initial_alignment.hpp"
#include "axon/register/linear_stage.hpp"
#include "axon/register/syn_stage.hpp"

namespace axon::registration {
namespace {

Eigen::Vector3d to_lps(const Eigen::Vector3d& ras) { return {-ras[0], -ras[1], ras[2]}; }

// The LPS bounding box of a grid's voxel centres.
void bounds(const Grid& grid, Eigen::Vector3d& low, Eigen::Vector3d& high) {
  low.setConstant(INFINITY);
  high.setConstant(-INFINITY);
  for (int corner = 0; corner < 8; ++corner) {
    const Eigen::Vector3d p = to_lps(grid.world((corner & 1) ? grid.dims[0] - 1 : 0, (corner & 2) ? grid.dims[1] - 1 : 0,
                                                (corner & 4) ? grid.dims[2] - 1 : 0));
    low = low.cwiseMin(p);
    high = high.cwiseMax(p);
  }
}

// Does the fixed grid, mapped by `t`, reach into the moving grid's box?
// (Its eight corners' box against the moving box.)
bool overlaps(const Grid& fixed, const Grid& moving, const LinearTransform& t) {
  Eigen::Vector3d flow, fhigh, mlow, mhigh;
  bounds(fixed, flow, fhigh);
  bounds(moving, mlow, mhigh);
  Eigen::Vector3d low = Eigen::Vector3d::Constant(INFINITY), high = -low;
  for (int corner = 0; corner < 8; ++corner) {
    const Eigen::Vector3d p((corner & 1) ? fhigh[0] : flow[0], (corner & 2) ? fhigh[1] : flow[1],
                            (corner & 4) ? fhigh[2] : flow[2]);
    const Eigen::Vector3d q = t.apply(p);
    low = low.cwiseMin(q);
    high = high.cwiseMax(q);
  }
  return (low.array() <= mhigh.array()).all() && (high.array() >= mlow.array()).all();
}

}  // namespace

TransformChain RegistrationResult::forward_chain() const {
  TransformChain chain;
  if (forward) chain.push_back({"", std::nullopt, std::make_shared<const DisplacementField>(*forward)});
  chain.push_back({"", linear, nullptr});
  return chain;
}

TransformChain RegistrationResult::inverse_chain() const {
  TransformChain chain;
  chain.push_back({"", linear.inverse(), nullptr});
  if (inverse) chain.push_back({"", std::nullopt, std::make_shared<const DisplacementField>(*inverse)});
  return chain;
}

void require_registration_input(const NamedImage& in) {
  const Image<float>& image = *in.image;
  if (image.header.ndim() > 3 && image.nt() > 1)
    throw InputError(in.path, "registration needs a 3D image, this one has " + std::to_string(image.nt()) + " volumes");
  for (int d = 0; d < 3; ++d)
    if (grid_of(image.header).dims[d] < 4)
      throw InputError(in.path, "registration needs a 3D image with at least 4 voxels along each axis (dims " +
                                    std::to_string(image.nx()) + "x" + std::to_string(image.ny()) + "x" +
                                    std::to_string(image.nz()) + ")");
  for (float v : image.data)
    if (!std::isfinite(v)) throw InputError(in.path, "the image has NaN or infinite values");
}

void require_mask(const NamedImage& mask, const NamedImage& image) {
  if (mask.image->nt() > 1) throw InputError(mask.path, "a mask must be 3D");
  require_same_grid(grid_of(image.image->header), image.path, grid_of(mask.image->header), mask.path);
  bool any = false;
  for (float v : mask.image->data) any = any || v > 0;
  if (!any) throw InputError(mask.path, "the mask is empty (no voxel > 0)");
}

RegistrationResult register_images(const NamedImage& fixed, const NamedImage& moving, const NamedImage& fixed_mask,
                                   const NamedImage& moving_mask, const RegistrationOptions& options) {
  RegistrationResult result;
  result.linear = initial_transform(*fixed.image, *moving.image, fixed_mask.image, moving_mask.image,
                                    options.initialisation);
  if (!overlaps(grid_of(fixed.image->header), grid_of(moving.image->header), result.linear))
    throw InputError(moving.path, "does not overlap " + fixed.path + " (after --init)");

  ImagePair images;
  images.fixed = itk_view(*fixed.image);
  images.moving = itk_view(*moving.image);
  if (fixed_mask.image) images.fixed_mask = mask_object(*fixed_mask.image);
  if (moving_mask.image) images.moving_mask = mask_object(*moving_mask.image);
  images.coarse_fixed = coarsened(images.fixed, options.grid_spacing_mm);
  images.coarse_moving = coarsened(images.moving, options.grid_spacing_mm);

  try {
    for (Stage stage : options.stages) {
      StageReport report;
      if (stage == Stage::syn) {
        SynFields fields = run_syn_stage(images, fixed.image->header, options, result.linear, report);
        result.forward = std::move(fields.forward);
        result.inverse = std::move(fields.inverse);
      } else {
        result.linear = run_linear_stage(stage, images, options, result.linear, report);
      }
      log::info(report.stage + ": " + std::to_string(report.seconds) + " s");
      result.stages.push_back(std::move(report));
    }
  } catch (const InputError& e) {
    throw InputError(moving.path, e.what());
  }
  return result;
}

}  // namespace axon::registration
