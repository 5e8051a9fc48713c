#pragma once
// Removing the mean and the linear trend of each column (time along rows),
// as scipy.signal.detrend(type="linear") and nilearn's _detrend.
#include <Eigen/Core>

namespace axon::signal {

void remove_mean(Eigen::MatrixXd& x);
// Least-squares line through each column, subtracted (the mean goes with it).
void detrend_linear(Eigen::MatrixXd& x);

}  // namespace axon::signal
