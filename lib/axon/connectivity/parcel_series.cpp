#include "axon/connectivity/parcel_series.hpp"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "axon/core/error.hpp"
#include "axon/io/nifti.hpp"

namespace axon::connectivity {

ParcelSeries extract_parcel_series(const std::string& bold_path, const Image<int32_t>& labels,
                                   const std::vector<int32_t>& values, const Image<float>* mask) {
  VolumeReader reader(bold_path);
  const int64_t nvox = reader.header().voxels_per_volume();
  if (static_cast<int64_t>(labels.data.size()) != nvox)
    throw InputError(bold_path, "the atlas is not on the grid of the BOLD series");
  const int64_t nt = reader.volumes();
  const Eigen::Index np = static_cast<Eigen::Index>(values.size());
  std::unordered_map<int32_t, int> column;
  for (std::size_t i = 0; i < values.size(); ++i) column[values[i]] = static_cast<int>(i);

  ParcelSeries out;
  out.voxels.assign(values.size(), 0);
  out.usable.assign(values.size(), 0);
  out.coverage.assign(values.size(), 0.0);
  // The labelled voxels inside the mask, with their parcel.
  std::vector<int64_t> voxel;
  std::vector<int> parcel;
  for (int64_t v = 0; v < nvox; ++v) {
    const auto it = column.find(labels.data[v]);
    if (it == column.end()) continue;
    ++out.voxels[it->second];
    if (mask && !(mask->data[v] > 0)) continue;
    voxel.push_back(v);
    parcel.push_back(it->second);
  }
  const std::size_t nv = voxel.size();
  std::vector<float> first(nv, 0.0f);
  std::vector<char> varies(nv, 0), ever_finite(nv, 0), always_finite(nv, 1);
  Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(nt, np);
  Eigen::MatrixXd counts = Eigen::MatrixXd::Zero(nt, np);
  std::vector<float> volume(static_cast<std::size_t>(nvox));
  for (int64_t t = 0; t < nt; ++t) {
    reader.read_next(volume.data());
    for (std::size_t i = 0; i < nv; ++i) {
      const float x = volume[voxel[i]];
      if (!std::isfinite(x)) {
        always_finite[i] = 0;
        continue;
      }
      if (!ever_finite[i]) {
        ever_finite[i] = 1;
        first[i] = x;
      } else if (x != first[i]) {
        varies[i] = 1;
      }
      sums(t, parcel[i]) += x;
      counts(t, parcel[i]) += 1;
    }
  }
  // Constant voxels added the same value at every volume where they were
  // finite: take them out again.
  for (std::size_t i = 0; i < nv; ++i) {
    if (varies[i]) {
      if (always_finite[i]) ++out.usable[parcel[i]];
      continue;
    }
    if (!ever_finite[i]) continue;
    for (int64_t t = 0; t < nt; ++t) {
      if (!always_finite[i]) break;  // a constant voxel with gaps: rare; kept (cannot tell which volumes)
      sums(t, parcel[i]) -= first[i];
      counts(t, parcel[i]) -= 1;
    }
  }
  out.series.resize(nt, np);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (Eigen::Index p = 0; p < np; ++p) {
    out.coverage[p] = out.voxels[p] > 0 ? static_cast<double>(out.usable[p]) / static_cast<double>(out.voxels[p]) : 0.0;
    for (int64_t t = 0; t < nt; ++t) out.series(t, p) = counts(t, p) > 0 ? sums(t, p) / counts(t, p) : nan;
  }
  return out;
}

}  // namespace axon::connectivity
