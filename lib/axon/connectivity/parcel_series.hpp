#pragma once
// Mean time series of atlas parcels, extracted while streaming the BOLD
// series one volume at a time: only per-parcel sums per volume and a few
// numbers per labelled voxel are held, never the 4D series.
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/image.hpp"

namespace axon::connectivity {

struct ParcelSeries {
  Eigen::MatrixXd series;           // volumes x parcels; NaN for a parcel with no usable voxel
  std::vector<int64_t> voxels;      // parcel voxels on the BOLD grid
  std::vector<int64_t> usable;      // in the mask, finite in every volume and not constant
  std::vector<double> coverage;     // usable / voxels (0 for a parcel with no voxel)
};

// `labels` is the atlas on the BOLD grid, `values` the parcels (one column
// each, in this order), `mask` a 3D image on the same grid (empty: every
// voxel). A voxel's value enters its parcel's mean at every volume where it
// is finite; voxels constant over time are taken out (they carry no signal,
// typically the outside of the brain or a masked-out region).
ParcelSeries extract_parcel_series(const std::string& bold_path, const Image<int32_t>& labels,
                                   const std::vector<int32_t>& values, const Image<float>* mask);

}  // namespace axon::connectivity
