#pragma once
// Butterworth IIR filters designed as scipy.signal.butter does (analogue
// prototype, frequency pre-warping, bilinear transform, transfer function
// in (b, a) form), applied forward and backward like scipy.signal.filtfilt
// (odd extension of 3 * max(len(a), len(b)) samples at each end, initial
// conditions from lfilter_zi) so that the result is zero-phase and matches
// nilearn.signal.butterworth.
#include <Eigen/Core>
#include <vector>

namespace axon::signal {

struct TransferFunction {
  std::vector<double> b, a;  // a[0] == 1
};

// A band-pass (both cut-offs > 0), low-pass (high_pass_hz <= 0) or
// high-pass (low_pass_hz <= 0) design of the given order for sampling
// interval `tr` seconds. Cut-offs must lie in (0, Nyquist); throws
// std::invalid_argument otherwise.
TransferFunction butterworth(int order, double high_pass_hz, double low_pass_hz, double tr);

// scipy.signal.lfilter with initial state `zi` (may be empty: zero state).
std::vector<double> lfilter(const TransferFunction& f, const std::vector<double>& x,
                            const std::vector<double>& zi = {});

// scipy.signal.lfilter_zi: the steady-state initial conditions for a step.
std::vector<double> lfilter_zi(const TransferFunction& f);

// Zero-phase filtering of every column of `x` (time along rows), as
// scipy.signal.filtfilt(b, a, x, axis=0) with its default padding. A series
// not longer than the padding is an error (std::invalid_argument), as in scipy.
void filtfilt(const TransferFunction& f, Eigen::MatrixXd& x);

}  // namespace axon::signal
