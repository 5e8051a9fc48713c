#pragma once
// Brain extraction of a T1-weighted head image without a template, by
// intensity and morphology, after the Brain Surface Extractor's recipe
// (Shattuck et al. 2001, NeuroImage 13:856; Sandor & Leahy 1997) and the
// morphological skull stripping of Brummer et al. 1993 (IEEE TMI 12:153):
//   0. the image is block-averaged to voxels of about 2 mm (working_mm;
//      axes already that coarse are kept), which divides the noise by 2.8
//      at 1 mm, and steps 1-5 run on that grid;
//   1. steps 2-5 once; then N4 (ANTs' iterations, fitted on a grid of about
//      8 mm) inside that first mask grown by 10 mm, and steps 2-5 again on
//      the corrected image, so that one threshold fits the whole brain
//      under a bias field; the corrected pass is kept unless its radius
//      rule found no stable radius where the first pass's did;
//   2. Gaussian smoothing (sigma 1 mm) against noise;
//   3. head = voxels above the Otsu threshold of the positive voxels;
//      3-class Otsu on the head gives t1 < t2 (dark: CSF, bone; middle: GM;
//      bright: WM, fat); brain tissue candidates are 0.8 t1 < I < 1.3 t2;
//   4. erosion by r mm cuts the thin bridges between brain and scalp, the
//      largest component is the brain's core, and a dilation by r mm inside
//      the candidates gives it back its shape. r is the smallest of 2..7 mm
//      at which the brain's volume is stable (it drops by < 5 % from r to
//      r + 1): a larger drop means a bridge to the scalp was still open;
//   5. closing by 8 mm (sulcal CSF, as BET's surface and the usual manual
//      masks include it), hole filling, largest component;
//   6. back on the input's grid: the mask's linear interpolation > 0.5,
//      hole filling, largest component, then --border.
// Every distance is in mm on exact distance maps, so anisotropic voxels get
// round structuring elements. Nothing here uses an atlas or a template.
#include <cstdint>
#include <string>

#include "axon/image/image.hpp"
#include "axon/segment/surface_distance.hpp"

namespace axon::segment {

struct BrainOptions {
  double border_mm = 0;     // > 0 grows, < 0 shrinks the final mask
  bool bias_correct = true;
  double smooth_sigma_mm = 1.0;
  double close_mm = 8.0;
  double working_mm = 2.0;  // voxel size of the grid the extraction runs on
  double n4_grid_mm = 8.0;  // N4's shrink factor gives its fitting grid about this voxel size
};

struct BrainResult {
  BinaryVolume mask;
  double erosion_mm = 0;
  bool stable = false;  // the erosion radius rule found a stable volume
  double threshold_head = 0;  // head vs background (Otsu), on the same image
  double threshold_low = 0, threshold_high = 0;  // on the bias-corrected, smoothed image
  double volume_ml = 0;
};

BrainResult extract_brain(const Image<float>& image, const BrainOptions& options, const std::string& path);

}  // namespace axon::segment
