#pragma once
// Training and evaluation samples for the SSIM regressor: a clean volume is
// augmented (augmentation.hpp), corrupted by random k-space motion
// (motion_simulation.hpp), and the pair gives the target (3D SSIM of the
// corrupted image against the augmented clean one, inside the clean head
// mask) and the features of the corrupted image alone.
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/quality/corruption_models.hpp"
#include "axon/quality/motion_simulation.hpp"

namespace axon::quality {

struct SampleSettings {
  double min_voxel_mm = 1.3, max_voxel_mm = 3.0;  // resolution augmentation
  double max_degrees = 8, max_translation_mm = 8;  // upper bounds of the motion draw
  int max_transforms = 8;
  double ghosting_probability = 0.25;
  double still_probability = 0.05;  // samples without any motion (SSIM 1)
  // Samples whose field of view is cut to a random box inside the head
  // (25-100 % of the head's extent along each axis): slabs and partial-brain
  // acquisitions, whose images have little or no air around the head.
  double crop_probability = 0.3;
  // The corruption models a sample is drawn from (one, uniformly, per
  // sample; corruption_models.hpp). With one model no draw is made, so the
  // default gives the samples it gave before there was a choice.
  std::vector<CorruptionModel> simulators{CorruptionModel::kspace};
  int slices_per_sample = 12;  // axial slices (with a defined 2D SSIM) drawn per sample for the slice regressor
  bool augment = true;
  // With augment: the fraction of samples that are augmented; the others
  // keep the clean volume's own appearance (resolution, contrast, noise,
  // field of view), as real scans come. At 1 (the default) no draw is made,
  // so the samples are those made before the option existed.
  double augment_probability = 1.0;
};

struct Sample {
  std::vector<float> features;  // feature_names() order
  double ssim = 0;
  std::vector<float> slice_rows;  // slices x slice_feature_names().size()
  std::vector<double> slice_ssim; // 2D SSIM of each of those slices (reference_ssim's per-slice values)
  MotionSettings motion;
  int axis = 1;
  CorruptionModel simulator = CorruptionModel::kspace;
};

// Sample number `id` of a run seeded `seed` (its own random stream, so
// samples are the same whatever the order or thread count they are made in).
Sample make_sample(const Image<float>& clean, const SampleSettings& settings, std::uint64_t seed, std::uint64_t id);

// Held-out evaluation.
struct Evaluation {
  std::size_t n = 0;
  double residual_mean = 0, residual_sd = 0;  // predicted - true
  double spearman = 0, pearson = 0, mae = 0;
  double accuracy3 = 0, accuracy5 = 0, accuracy10 = 0;
  double baseline_mae = 0;  // predicting the mean of the true values
};
Evaluation evaluate(const std::vector<double>& predicted, const std::vector<double>& truth);

// The quality class of an SSIM value among `classes` (3, 5 or 10), 0 = worst.
// 3: insufficient < 0.60 <= sufficient < 0.85 <= good (the seed paper's);
// 5: edges 0.6, 0.7, 0.8, 0.9; 10: edges 0.55, 0.60, ..., 0.95.
int quality_class(double ssim, int classes);
std::string quality_class_name(int cls, int classes);

double spearman_correlation(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace axon::quality
