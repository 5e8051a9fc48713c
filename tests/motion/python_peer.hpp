#pragma once
// Runs a peer tool's Python (Debian's /usr/bin/python3, AXON_PYTHON) in a
// scratch folder, for cross-checks against nipype.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace axon::motion::test {

class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("axon_motion_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
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

// True when `module` imports (scripts/bootstrap installs every peer).
inline bool python_has(const std::string& module) {
  return std::system((system_python() + " -c 'import " + module + "' >/dev/null 2>&1").c_str()) == 0;
}

// Writes `script` to DIR/peer.py and runs it with DIR as the working folder.
inline int run_python(const ScratchDir& dir, const std::string& script) {
  std::ofstream(dir / "peer.py") << script;
  const std::string cmd = "cd '" + dir.str() + "' && " + system_python() + " peer.py";
  return std::system(cmd.c_str());
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

}  // namespace axon::motion::test
