#pragma once
// The two images of one registration as ITK sees them (LPS geometry), with
// their optional masks, shared by the stages.
#include <itkImage.h>
#include <itkImageMaskSpatialObject.h>

#include "axon/image/image.hpp"
#include "axon/image/itk_bridge.hpp"

namespace axon::registration {

using Volume = ItkVolume<float>;
using MaskObject = itk::ImageMaskSpatialObject<3>;

struct ImagePair {
  Volume::Pointer fixed, moving;            // views of the axon images (no copy)
  MaskObject::Pointer fixed_mask, moving_mask;  // null: every voxel counts
};

// The spatial object ITK's metrics take as a mask: the voxels of `mask` > 0.
MaskObject::Pointer mask_object(const Image<float>& mask);

}  // namespace axon::registration
