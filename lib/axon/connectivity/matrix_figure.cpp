#include "axon/connectivity/matrix_figure.hpp"

#include <algorithm>

#include "axon/report/raster.hpp"

namespace axon::connectivity {

void write_matrix_png(const Eigen::MatrixXd& matrix, const std::string& path) {
  const int n = static_cast<int>(std::max<Eigen::Index>(matrix.rows(), 1));
  const int cell = std::max(1, 600 / n);  // about 600 pixels across
  Raster raster(n * cell, n * cell);
  for (int i = 0; i < matrix.rows(); ++i)
    for (int j = 0; j < matrix.cols(); ++j)
      raster.fill_rect(j * cell, i * cell, cell, cell, diverging_map(0.5 * (matrix(i, j) + 1.0)));
  write_png(raster, path);
}

}  // namespace axon::connectivity
