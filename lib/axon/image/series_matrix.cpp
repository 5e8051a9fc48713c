#include "axon/image/series_matrix.hpp"

#include "axon/core/error.hpp"

namespace axon {

Eigen::MatrixXf series_to_matrix(const Image<float>& series, const Mask& mask) {
  if (series.voxels_per_volume() != mask.grid.voxels())
    throw Error(ExitCode::other, "internal error: series and mask grids differ");
  const int64_t nt = series.nt();
  Eigen::MatrixXf m(static_cast<Eigen::Index>(mask.count()), static_cast<Eigen::Index>(nt));
  for (int64_t t = 0; t < nt; ++t) {
    const float* vol = series.volume(t);
    float* col = m.col(t).data();
    for (size_t r = 0; r < mask.count(); ++r) col[r] = vol[mask.indices[r]];
  }
  return m;
}

Image<float> matrix_to_series(const Eigen::MatrixXf& matrix, const Mask& mask, const ImageHeader& like) {
  Image<float> out;
  out.header = like;
  out.header.set_volumes(matrix.cols());
  out.header.datatype = static_cast<int>(DataType::float32);
  out.header.scl_slope = 0;
  out.header.scl_inter = 0;
  const int64_t per = out.voxels_per_volume();
  out.data.assign(static_cast<size_t>(per * matrix.cols()), 0.0f);
  for (Eigen::Index t = 0; t < matrix.cols(); ++t) {
    float* vol = out.volume(t);
    for (size_t r = 0; r < mask.count(); ++r) vol[mask.indices[r]] = matrix(static_cast<Eigen::Index>(r), t);
  }
  return out;
}

}  // namespace axon
