#pragma once
// The masks score's reported IQMs use: axon-segment's brain extraction and
// tissue classification (docs/axon-segment.md), as MRIQC uses SynthStrip's
// brain mask and FSL FAST's classes and partial-volume maps (and a bias
// field). The head mask, and the air as its complement, stay Otsu's
// (head_mask): MRIQC's are a head mask and its complement too.
//
// Speed (issue 8: score < 5 s on a 1 mm T1 including the masks): the image
// is block-averaged once to about `working_mm` (the grid brain extraction
// works on anyway); the brain is extracted there, without its N4 pass
// (`bias_correct = false`; the tissue classification below estimates the
// bias field inside the brain), and the tissues are classified there; then
// everything is brought back to the input's grid: the brain where the
// coarse mask's trilinear interpolation exceeds 0.5 (extract_brain's own
// last step), partial volumes and bias field trilinearly between the
// coarse brain voxels, and where those are not all of one class, the fine
// voxel's own intensity unmixed between the two class means that bracket it
// (axon-segment's partial-volume rule), labelled with its larger fraction.
// Measured on ch2: docs/axon-motion-quality.md.
#include <string>

#include "axon/image/image.hpp"
#include "axon/quality/iqm.hpp"

namespace axon::quality {

struct SegmentedMaskOptions {
  bool brain_bias_correct = false;  // segment::BrainOptions::bias_correct
  // Voxel size the brain and tissues are found at (segment::BrainOptions::
  // working_mm); inputs at least this coarse are used as they are.
  double working_mm = 2.0;
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
