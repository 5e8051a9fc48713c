#pragma once
// Training and held-out evaluation of the SSIM regressor from clean volumes.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/quality/ssim_model.hpp"
#include "axon/quality/training_samples.hpp"

namespace axon::quality {

struct SampleSet {
  std::vector<float> features;  // rows x feature_names().size()
  std::vector<double> ssim;
  std::vector<int> volume;      // index of the clean volume of each row
  std::vector<CorruptionModel> simulator;  // the corruption model of each row
  std::vector<float> slice_rows;    // slice rows x slice_feature_names().size(), samples in order
  std::vector<double> slice_ssim;
  std::vector<int> slice_sample;    // the sample each slice row comes from
};

// `count` samples cycling through `volumes` (sample i from volume i % size),
// sample i drawn from Rng::stream(seed, i). Samples are made in parallel
// (one per thread); the set does not depend on the thread count.
// `progress(done, total)` is called from one thread at a time.
SampleSet make_samples(const std::vector<Image<float>>& volumes, std::size_t count, const SampleSettings& settings,
                       std::uint64_t seed, const std::function<void(std::size_t, std::size_t)>& progress = {});

// Volumes are first brought to at most `settings.min_voxel_mm` resolution
// (finer inputs are resampled once; the samples then change it further).
Image<float> training_base(const Image<float>& volume, const SampleSettings& settings);

}  // namespace axon::quality
