#pragma once
// A fixed fixture (seeded) written for tests/signal/peer.py, and the
// comparison of axon's results with the peer's.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "common/python_peer.hpp"

namespace axon::signal::test {

using axon::test::python_has;
using axon::test::read_matrix;

struct PeerCase {
  double tr = 2, high_pass = 0.01, low_pass = 0.1;
  int order = 2;
  std::vector<bool> keep;
  Eigen::MatrixXd signals, confounds;
  std::string dir;
};

// Region signals that share slow oscillations, with drift, white noise and
// a mixture of the confounds added; confounds with drift of their own.
inline PeerCase make_case(int volumes, int regions, int n_confounds, unsigned seed) {
  PeerCase c;
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  c.confounds.resize(volumes, n_confounds);
  for (int t = 0; t < volumes; ++t)
    for (int k = 0; k < n_confounds; ++k) c.confounds(t, k) = normal(rng) + 0.01 * t * (k + 1);
  c.signals.resize(volumes, regions);
  for (int r = 0; r < regions; ++r) {
    const double f = 0.02 + 0.01 * r;
    for (int t = 0; t < volumes; ++t) {
      double v = 100 + 10 * r + std::sin(2 * M_PI * f * t * c.tr) + 0.5 * normal(rng) + 0.02 * t;
      for (int k = 0; k < n_confounds; ++k) v += 0.3 * ((r + k) % 3) * c.confounds(t, k);
      c.signals(t, r) = v;
    }
  }
  c.keep.assign(volumes, true);
  return c;
}

// Writes the fixture and runs the peer; returns false when it failed.
inline bool run_peer(PeerCase& c, const std::string& name) {
  c.dir = (std::filesystem::temp_directory_path() / ("axon_signal_" + name + "_" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(c.dir);
  std::filesystem::create_directories(c.dir);
  axon::test::write_matrix(c.signals, c.dir + "/signals.txt");
  axon::test::write_matrix(c.confounds, c.dir + "/confounds.txt");
  Eigen::MatrixXd keep(c.keep.size(), 1);
  for (std::size_t i = 0; i < c.keep.size(); ++i) keep(i, 0) = c.keep[i] ? 1 : 0;
  axon::test::write_matrix(keep, c.dir + "/keep.txt");
  std::ofstream(c.dir + "/params.json") << "{\"tr\": " << c.tr << ", \"order\": " << c.order
                                        << ", \"high_pass\": " << c.high_pass << ", \"low_pass\": " << c.low_pass
                                        << "}";
  return axon::test::run_peer("signal/peer.py", c.dir);
}

// Agreement to `rel` relative to the reference's largest magnitude (values
// near zero are compared on the scale of the whole result).
inline void expect_close(const Eigen::MatrixXd& ours, const Eigen::MatrixXd& ref, double rel, const std::string& what) {
  ASSERT_EQ(ours.rows(), ref.rows()) << what;
  ASSERT_EQ(ours.cols(), ref.cols()) << what;
  const double scale = std::max(ref.cwiseAbs().maxCoeff(), 1e-300);
  const double worst = (ours - ref).cwiseAbs().maxCoeff() / scale;
  EXPECT_LT(worst, rel) << what << ": largest difference " << worst << " of the reference's scale " << scale;
}

}  // namespace axon::signal::test
