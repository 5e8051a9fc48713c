#pragma once
// The two images of one registration as ITK sees them (LPS geometry), with
// their optional masks, shared by the stages.
#include <itkImage.h>
#include <itkImageMaskSpatialObject.h>
#include <itkMacro.h>

#include <string>

#include "axon/image/image.hpp"
#include "axon/image/itk_bridge.hpp"

namespace axon::registration {

using Volume = ItkVolume<float>;
using MaskObject = itk::ImageMaskSpatialObject<3>;

struct ImagePair {
  Volume::Pointer fixed, moving;            // views of the axon images (no copy)
  MaskObject::Pointer fixed_mask, moving_mask;  // null: every voxel counts
  // Both images on the coarse grid of the levels at or coarser than
  // RegistrationOptions::grid_spacing_mm (coarse_grid.hpp), made once for
  // every stage; the images themselves when they are that coarse already.
  Volume::Pointer coarse_fixed, coarse_moving;
};

// The spatial object ITK's metrics take as a mask: the voxels of `mask` > 0.
MaskObject::Pointer mask_object(const Image<float>& mask);

// A stage's ITK failure (too few sample points inside the moving image, a
// degenerate metric, ...) as one InputError line: "<stage> registration
// failed (do the images overlap?): <first line of ITK's message>".
[[noreturn]] void throw_registration_failure(const std::string& stage, const itk::ExceptionObject& e);

}  // namespace axon::registration
