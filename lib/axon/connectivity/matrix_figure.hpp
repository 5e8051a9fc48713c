#pragma once
// A PNG of a correlation-like matrix (values in [-1, 1], rows in label
// order) with the diverging blue-white-red map; n/a cells are grey.
#include <Eigen/Core>
#include <string>

namespace axon::connectivity {

void write_matrix_png(const Eigen::MatrixXd& matrix, const std::string& path);

}  // namespace axon::connectivity
