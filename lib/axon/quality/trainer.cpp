#include "axon/quality/trainer.hpp"

#include <exception>

#include "axon/image/grid.hpp"
#include "axon/quality/augmentation.hpp"
#include "axon/quality/features.hpp"

namespace axon::quality {

Image<float> training_base(const Image<float>& volume, const SampleSettings& settings) {
  const Grid g = grid_of(volume.header);
  const Eigen::Vector3d spacing = g.spacing();
  // Never so coarse that an axis keeps fewer than 12 voxels (SSIM's window).
  double target = settings.min_voxel_mm;
  for (int a = 0; a < 3; ++a) target = std::min(target, g.dims[a] * spacing[a] / 12.0);
  if (spacing.minCoeff() >= target * 0.999) return volume;
  return resample_isotropic(volume, target);
}

SampleSet make_samples(const std::vector<Image<float>>& volumes, std::size_t count, const SampleSettings& settings,
                       std::uint64_t seed, const std::function<void(std::size_t, std::size_t)>& progress) {
  const std::size_t cols = feature_names().size();
  SampleSet set;
  set.features.assign(count * cols, 0.0f);
  set.ssim.assign(count, 0.0);
  set.volume.assign(count, 0);
  set.simulator.assign(count, CorruptionModel::kspace);
  std::vector<Sample> slices(count);  // only the slice part is kept, to be joined in order
  std::exception_ptr failure;
  std::size_t done = 0;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(count); ++i) {
    try {
      const int v = static_cast<int>(i % static_cast<std::int64_t>(volumes.size()));
      Sample s = make_sample(volumes[v], settings, seed, static_cast<std::uint64_t>(i));
      std::copy(s.features.begin(), s.features.end(), set.features.begin() + i * cols);
      set.ssim[i] = s.ssim;
      set.volume[i] = v;
      set.simulator[i] = s.simulator;
      slices[i].slice_rows = std::move(s.slice_rows);
      slices[i].slice_ssim = std::move(s.slice_ssim);
#pragma omp critical(axon_quality_progress)
      {
        ++done;
        if (progress) progress(done, count);
      }
    } catch (...) {
#pragma omp critical(axon_quality_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  for (std::size_t i = 0; i < count; ++i) {
    set.slice_rows.insert(set.slice_rows.end(), slices[i].slice_rows.begin(), slices[i].slice_rows.end());
    set.slice_ssim.insert(set.slice_ssim.end(), slices[i].slice_ssim.begin(), slices[i].slice_ssim.end());
    set.slice_sample.insert(set.slice_sample.end(), slices[i].slice_ssim.size(), static_cast<int>(i));
  }
  return set;
}

}  // namespace axon::quality
