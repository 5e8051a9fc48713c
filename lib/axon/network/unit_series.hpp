#pragma once
// Time series scaled so that a dot product is a Pearson correlation: each
// voxel's series is centred and divided by its Euclidean norm. Stored row
// by row (voxel-major) in float32, the input of the blocked products, and in
// float64, which decides the few pairs whose float32 correlation lies too
// close to a threshold to be trusted.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace axon::network {

using RowMajorF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMajorD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct UnitSeries {
  RowMajorF single;  // nodes x time
  RowMajorD exact;   // nodes x time
  // Column of the input each node came from. Constant columns (no variance)
  // have no correlation with anything and are left out of the graph.
  std::vector<int64_t> column;
  int64_t nodes() const { return single.rows(); }
  int64_t length() const { return single.cols(); }
  // Pearson correlation of nodes a and b in float64.
  double exact_correlation(int64_t a, int64_t b) const { return exact.row(a).dot(exact.row(b)); }
};

// `series` is time x columns (cleaned voxel series). Throws
// std::invalid_argument with fewer than 3 time points.
UnitSeries unit_series(const Eigen::MatrixXd& series);

}  // namespace axon::network
