#pragma once
// Shared by the network and group tests: a scratch folder, matrices as
// whitespace text (17 significant digits), and a Python peer run with
// Debian's /usr/bin/python3 (AXON_PYTHON) from tests/<area>/.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace axon::test {

class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("axon_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline std::string system_python() {
  const char* p = std::getenv("AXON_PYTHON");
  return p && *p ? p : "/usr/bin/python3";
}

inline bool python_has(const std::string& module) {
  return std::system((system_python() + " -c 'import " + module + "' >/dev/null 2>&1").c_str()) == 0;
}

// Runs tests/<script> with the given arguments; true on exit status 0.
inline bool run_peer(const std::string& script, const std::string& arguments) {
  const std::string cmd = system_python() + " " + AXON_SOURCE_DIR + "/tests/" + script + " " + arguments;
  return std::system(cmd.c_str()) == 0;
}

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

}  // namespace axon::test
