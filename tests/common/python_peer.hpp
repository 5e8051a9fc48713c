#pragma once
// Running a peer tool's Python from a test, and the plain-text matrices the
// two sides exchange. Peers need Debian's modules (numpy, scipy, sklearn,
// nipype, ...), so they run with the system interpreter that tests/CMakeLists
// passes as AXON_PYTHON (default /usr/bin/python3), never whichever python3
// comes first on PATH.
#include <Eigen/Core>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scratch_dir.hpp"

namespace axon::test {

inline std::string system_python() {
  const char* p = std::getenv("AXON_PYTHON");
  return p && *p ? p : "/usr/bin/python3";
}

// True when `module` imports (scripts/bootstrap installs every peer).
inline bool python_has(const std::string& module) {
  return std::system((system_python() + " -c 'import " + module + "' >/dev/null 2>&1").c_str()) == 0;
}

// Runs the checked-in script tests/<script> with `arguments`; true on exit 0.
inline bool run_peer(const std::string& script, const std::string& arguments) {
  const std::string cmd = system_python() + " " + AXON_SOURCE_DIR + "/tests/" + script + " " + arguments;
  return std::system(cmd.c_str()) == 0;
}

// Writes an inline `script` to DIR/peer.py and runs it with DIR as the
// working folder; returns the exit status as std::system gives it.
inline int run_python(const ScratchDir& dir, const std::string& script) {
  std::ofstream(dir / "peer.py") << script;
  const std::string cmd = "cd '" + dir.str() + "' && " + system_python() + " peer.py";
  return std::system(cmd.c_str());
}

// A matrix as whitespace text, 17 significant digits (exact for doubles).
template <class M>
void write_matrix(const M& m, const std::string& path) {
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

// Whitespace-separated numbers of a text file, skipping non-numeric tokens
// (a header line such as nipype's "FramewiseDisplacement").
inline std::vector<double> read_numbers(const std::string& path) {
  std::ifstream in(path);
  std::vector<double> out;
  std::string token;
  while (in >> token) {
    std::istringstream is(token);
    double v;
    if (is >> v && is.eof()) out.push_back(v);
  }
  return out;
}

}  // namespace axon::test
