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

namespace axon::signal::test {

struct PeerCase {
  double tr = 2, high_pass = 0.01, low_pass = 0.1;
  int order = 2;
  std::vector<bool> keep;
  Eigen::MatrixXd signals, confounds;
  std::string dir;
};

inline void write_matrix(const Eigen::MatrixXd& m, const std::string& path) {
  std::ofstream out(path);
  out.precision(17);
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) out << (j ? " " : "") << m(i, j);
    out << "\n";
  }
}

inline Eigen::MatrixXd read_matrix(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream is(line);
    std::vector<double> row;
    double v;
    while (is >> v) row.push_back(v);
    if (!row.empty()) rows.push_back(row);
  }
  Eigen::MatrixXd m(rows.size(), rows.empty() ? 0 : rows[0].size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j) m(i, j) = rows[i][j];
  return m;
}

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

inline bool python_has(const std::string& module) {
  const char* p = std::getenv("AXON_PYTHON");
  const std::string py = p && *p ? p : "/usr/bin/python3";
  return std::system((py + " -c 'import " + module + "' >/dev/null 2>&1").c_str()) == 0;
}

// Writes the fixture and runs the peer; returns false when it failed.
inline bool run_peer(PeerCase& c, const std::string& name) {
  c.dir = (std::filesystem::temp_directory_path() / ("axon_signal_" + name + "_" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(c.dir);
  std::filesystem::create_directories(c.dir);
  write_matrix(c.signals, c.dir + "/signals.txt");
  write_matrix(c.confounds, c.dir + "/confounds.txt");
  Eigen::MatrixXd keep(c.keep.size(), 1);
  for (std::size_t i = 0; i < c.keep.size(); ++i) keep(i, 0) = c.keep[i] ? 1 : 0;
  write_matrix(keep, c.dir + "/keep.txt");
  std::ofstream(c.dir + "/params.json") << "{\"tr\": " << c.tr << ", \"order\": " << c.order
                                        << ", \"high_pass\": " << c.high_pass << ", \"low_pass\": " << c.low_pass
                                        << "}";
  const char* p = std::getenv("AXON_PYTHON");
  const std::string py = p && *p ? p : "/usr/bin/python3";
  const std::string cmd = py + " " + AXON_SOURCE_DIR + "/tests/signal/peer.py " + c.dir;
  return std::system(cmd.c_str()) == 0;
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
