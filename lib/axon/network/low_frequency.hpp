#pragma once
// Amplitude of low-frequency fluctuations (ALFF; Zang et al. 2007, Brain Dev
// 29:83) and its fraction of the whole spectrum (fALFF; Zou et al. 2008, J
// Neurosci Methods 172:137), as XCP-D computes them (xcp_d.utils.
// restingstate.compute_alff): each series is centred and scaled to unit
// (population) standard deviation; its one-sided amplitude spectrum is the
// square root of scipy.signal.periodogram(scaling="spectrum"), or, when
// volumes were censored, of the normalised Lomb-Scargle periodogram
// (scipy.signal.lombscargle(normalize=True)) of the kept volumes at the
// frequencies linspace(0, fs/2, N//2 + 1)[1:] of the uncensored run;
// ALFF = 2 * mean(amplitude[ih:il]) * sd, with ih, il the frequencies
// nearest to the high-pass and low-pass edges of the band (il excluded, as
// XCP-D's slice), and fALFF = sum(amplitude[ih:il]) / sum(amplitude) (the
// Lomb-Scargle total leaves out its Nyquist bin, 0/0 on a regular grid).
// With censoring, sd is that of the kept volumes.
// A constant series gives 0 for both.
#include <Eigen/Core>
#include <vector>

namespace axon::network {

struct LowFrequencyOptions {
  double tr = 0;              // seconds
  double band_low_hz = 0.01;  // high-pass edge of the band
  double band_high_hz = 0.08;  // low-pass edge
};

struct LowFrequencyMaps {
  std::vector<double> alff, falff;  // one per column
};

// `series`: kept volumes x voxels. `kept`: one flag per volume of the run
// (all true, or empty: no censoring; then rows = volumes). Throws
// std::invalid_argument for a band outside (0, Nyquist] or an empty band.
LowFrequencyMaps low_frequency_maps(const Eigen::MatrixXd& series, const std::vector<bool>& kept,
                                    const LowFrequencyOptions& options);

}  // namespace axon::network
