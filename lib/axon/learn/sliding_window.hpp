#pragma once
// Sliding-window inference as nnU-Net runs it: patches at 50 % overlap
// (nnU-Net's step placement), each output weighted by a Gaussian importance
// map (sigma = patch / 8), mirror test-time augmentation over the card's
// flip axes, and the average over the ensemble's members. The network is
// behind TorchEnsemble; this file never knows which one it runs.
#include <array>
#include <cstdint>
#include <vector>

#include "axon/learn/model_card.hpp"
#include "axon/learn/tensor_volume.hpp"
#include "axon/learn/torch_ensemble.hpp"

namespace axon::learn {

struct SlidingWindowOptions {
  std::array<int64_t, 3> patch_zyx{};  // patch size in (z, y, x) voxels
  double overlap = 0.5;                // fraction of a patch shared by neighbours
  std::vector<int> mirror_axes_xyz;    // spatial axes to flip (0 = x, 1 = y, 2 = z); empty = no TTA
  OutputKind output_kind = OutputKind::sigmoid_regions;
  int64_t channels_out = 0;
  bool want_uncertainty = false;
  // Most patches per forward call; 0 = all mirrorings of a window in one
  // call. One at a time is the default because it is the fastest on a CPU
  // for brain-sized patches: the shipped tumour network on an 80x96x80
  // patch, 2 cores, took 3.8 s for 8 calls of one patch and 9.3 s for one
  // call of 8 (the activations of a batch leave the caches), and it also
  // halves the peak memory. Results do not depend on it (tested).
  int64_t max_batch = 1;
};

struct SlidingWindowResult {
  // Per output channel, the Gaussian-weighted mean over windows of the mean
  // over members x mirrorings of the probabilities (sigmoid or softmax of
  // the logits): (channels_out, z, y, x) on the input's grid.
  TensorVolume probabilities;
  // When asked: per voxel, the largest over channels of the standard
  // deviation of the probabilities across members x mirrorings (weighted
  // like the mean); (1, z, y, x).
  TensorVolume uncertainty;
};

// Window start positions along one axis (nnU-Net's compute_steps_for_sliding_window).
std::vector<int64_t> window_starts(int64_t image_size, int64_t patch_size, double overlap);
// The Gaussian importance map of a patch (z, y, x), largest value 1.
std::vector<float> gaussian_importance(const std::array<int64_t, 3>& patch_zyx);

// `input` smaller than the patch along an axis is zero-padded (before:
// pad / 2, after: the rest) and the padding is cut from the result.
SlidingWindowResult predict_sliding_window(const TorchEnsemble& ensemble, const TensorVolume& input,
                                           const SlidingWindowOptions& options);

}  // namespace axon::learn
