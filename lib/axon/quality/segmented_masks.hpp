#pragma once
// The masks score's reported IQMs use: axon-segment's brain extraction and
// tissue classification (docs/axon-segment.md), as MRIQC uses SynthStrip's
// brain mask and FSL FAST's classes and partial-volume maps (and a bias
// field). The head mask, and the air as its complement, stay Otsu's
// (head_mask): MRIQC's are a head mask and its complement too.
//
// Speed (issue 8: score < 5 s on a 1 mm T1 including the masks): the brain
// is extracted without its N4 pass (`bias_correct = false`; the tissue
// classification below estimates the bias field inside the brain anyway),
// and the tissues are classified on the image block-averaged to about
// `tissue_mm` (as brain extraction already works on a 2 mm copy), then
// brought back to the input's grid: partial volumes and bias field by
// trilinear interpolation between the coarse voxels inside the coarse mask,
// each fine brain voxel labelled with its largest fraction (FAST's _pveseg
// rule). Measured on ch2: docs/axon-motion-quality.md.
#include <string>

#include "axon/image/image.hpp"
#include "axon/quality/iqm.hpp"

namespace axon::quality {

struct SegmentedMaskOptions {
  bool brain_bias_correct = false;  // segment::BrainOptions::bias_correct
  double tissue_mm = 2.0;           // voxel size the tissues are classified at (<= the input's: no averaging)
};

// head: `head` (head_mask(image)); brain: `brain` when given, else
// segment::extract_brain; tissue, pve and bias: segment::classify_tissues
// (3 classes, its defaults: MRF beta 0.1, cubic bias) inside the brain.
// `path` names the image in errors.
IqmMasks segmented_iqm_masks(const Image<float>& image, ByteMask head, const std::string& path,
                             const ByteMask* brain = nullptr, const SegmentedMaskOptions& options = {});
// The same with head_mask(image).
IqmMasks segmented_iqm_masks(const Image<float>& image, const std::string& path, const ByteMask* brain = nullptr,
                             const SegmentedMaskOptions& options = {});

}  // namespace axon::quality
