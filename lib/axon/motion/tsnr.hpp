#pragma once
// Temporal signal-to-noise ratio: the voxel-wise mean over time divided by
// the standard deviation over time, as nipype's TSNR without detrending
// (numpy's population sd; voxels with sd <= 1e-3 get 0).
#include "axon/image/image.hpp"

namespace axon::motion {

// `series` 4D (at least 2 volumes); the result is a float32 3D image on its
// grid. Deterministic for any thread count (per-voxel sums in volume order).
Image<float> tsnr_map(const Image<float>& series);

}  // namespace axon::motion
