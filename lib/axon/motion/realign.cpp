#include "axon/motion/realign.hpp"

#include <itkMultiThreaderBase.h>

#include <Eigen/Dense>

#include <algorithm>
#include <exception>
#include <string>

#include "axon/core/error.hpp"
#include "axon/core/progress.hpp"
#include "axon/motion/epi_mask.hpp"

namespace axon::motion {
namespace {

Image<float> volume_of(const Image<float>& series, int64_t t) {
  Image<float> v;
  v.header = series.header;
  v.header.set_volumes(1);
  v.data.assign(series.volume(t), series.volume(t) + series.voxels_per_volume());
  return v;
}

// Runs ITK filters single-threaded while alive: the parallelism is ours,
// over volumes, and ITK's pool must not multiply it.
class ItkSingleThreaded {
 public:
  ItkSingleThreaded() : saved_(itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads()) {
    itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(1);
  }
  ~ItkSingleThreaded() { itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(saved_); }
  ItkSingleThreaded(const ItkSingleThreaded&) = delete;
  ItkSingleThreaded& operator=(const ItkSingleThreaded&) = delete;

 private:
  itk::ThreadIdType saved_;
};

// Aligns every volume to `reference`, volume t starting from start[t] (or
// the identity) at level `first_level`; exceptions inside the parallel loop
// are carried out of it.
std::vector<RigidParams> align_all(const Image<float>& bold, const Image<float>& reference,
                                   const RigidRegistrationOptions& options, const std::string& label,
                                   const std::vector<RigidParams>& start, std::size_t first_level,
                                   std::size_t last_level) {
  const int64_t nt = bold.nt();
  const RigidReference prepared(reference, options);
  std::vector<RigidParams> params(static_cast<std::size_t>(nt));
  std::exception_ptr failure;
  Progress progress(label, static_cast<std::size_t>(nt));
#pragma omp parallel for schedule(dynamic)
  for (int64_t t = 0; t < nt; ++t) {
    try {
      params[t] = prepared.register_volume(volume_of(bold, t), start.empty() ? RigidParams{} : start[t],
                                           std::min(first_level, prepared.levels() - 1), last_level);
    } catch (...) {
#pragma omp critical(axon_realign_failure)
      if (!failure) failure = std::current_exception();
    }
    progress.advance();
  }
  progress.finish();
  if (failure) std::rethrow_exception(failure);
  return params;
}

// The voxel-wise mean of the resliced series (series_mean sums in volume
// order, so it does not depend on the thread count).
Image<float> aligned_mean(const Image<float>& bold, const std::vector<RigidParams>& to_reference) {
  return series_mean(reslice_series(bold, to_reference));
}

// The voxel-wise median of the resliced series (the mean of the two middle
// values for an even count), which a few volumes with large motion or
// spikes do not pull.
Image<float> aligned_median(const Image<float>& bold, const std::vector<RigidParams>& to_reference) {
  const Image<float> resliced = reslice_series(bold, to_reference);
  Image<float> median = volume_of(resliced, 0);
  const int64_t nv = resliced.voxels_per_volume(), nt = resliced.nt();
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < nv; ++i) {
    std::vector<float> values(static_cast<std::size_t>(nt));
    for (int64_t t = 0; t < nt; ++t) values[t] = resliced.volume(t)[i];
    const auto mid = values.begin() + nt / 2;
    std::nth_element(values.begin(), mid, values.end());
    double m = *mid;
    if (nt % 2 == 0) m = 0.5 * (m + *std::max_element(values.begin(), mid));
    median.data[i] = static_cast<float>(m);
  }
  return median;
}

}  // namespace

Image<float> reslice_series(const Image<float>& bold, const std::vector<RigidParams>& to_reference) {
  const int64_t nt = bold.nt();
  if (static_cast<int64_t>(to_reference.size()) != nt)
    throw InputError("", "reslicing needs one set of parameters per volume");
  const Eigen::Vector3d centre = grid_centre_ras(bold.header);
  Image<float> out;
  out.header = bold.header;
  out.data.resize(bold.data.size());
  ItkSingleThreaded single;
#pragma omp parallel for schedule(dynamic)
  for (int64_t t = 0; t < nt; ++t) {
    // apply_rigid(v, m) shows v after the head moved by m; undoing M_t
    // brings volume t back to the reference position.
    const Image<float> back =
        apply_rigid(volume_of(bold, t), inverse_rigid(to_reference[t], centre), Interpolation::linear, 0.0f);
    std::copy(back.data.begin(), back.data.end(), out.volume(t));
  }
  return out;
}

RealignResult realign_series(const Image<float>& bold, const RealignOptions& options) {
  const int64_t nt = bold.nt();
  if (nt < 2) throw InputError("", "realignment needs at least 2 volumes");
  ItkSingleThreaded single;
  RealignResult result;
  if (options.reference == ReferenceKind::volume) {
    if (options.reference_volume < 0 || options.reference_volume >= nt)
      throw UsageError("reference volume " + std::to_string(options.reference_volume) + " is outside 0.." +
                       std::to_string(nt - 1));
    result.reference = volume_of(bold, options.reference_volume);
    result.to_reference = align_all(bold, result.reference, options.registration, "realign", {}, 0, SIZE_MAX);
  } else {
    // MCFLIRT's scheme: the middle volume first, then the mean of the
    // aligned series. The first pass only has to make the mean sharp, which
    // the coarse levels do to a small fraction of a voxel, so it skips the
    // finest (costliest) level unless there is only one.
    const std::size_t levels = options.registration.shrink_factors.size();
    const Image<float> first = volume_of(bold, nt / 2);
    const auto pass1 = align_all(bold, first, options.registration, "realign (pass 1)", {}, 0,
                                 levels > 1 ? levels - 2 : 0);
    result.reference = options.reference == ReferenceKind::median ? aligned_median(bold, pass1)
                                                                  : aligned_mean(bold, pass1);
    // The second pass starts every volume where the first left it, at the
    // finest level only: the mean moved by at most a fraction of a voxel.
    result.to_reference =
        align_all(bold, result.reference, options.registration, "realign (pass 2)", pass1, levels - 1, SIZE_MAX);
  }

  const Eigen::Vector3d centre = grid_centre_ras(bold.header);
  const Eigen::Matrix4d first_inverse = rigid_matrix(result.to_reference[0], centre).inverse();
  result.relative_to_first.resize(static_cast<std::size_t>(nt));
  // Volume 0 is the identity by definition: exactly zero, not 1e-16.
  for (int64_t t = 1; t < nt; ++t)
    result.relative_to_first[t] =
        rigid_params_from_matrix(rigid_matrix(result.to_reference[t], centre) * first_inverse, centre);
  return result;
}

}  // namespace axon::motion
