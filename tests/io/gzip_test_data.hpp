#pragma once
// Data and temporary paths shared by the gzip reader and writer tests.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace axon::test {

using Bytes = std::vector<unsigned char>;

inline std::string gzip_temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("axon-gzip-" + std::to_string(::getpid()) + "-" + name)).string();
}

// Float32-like data: smooth values plus noise, which compress a little
// (like BOLD series), and a run of zeros (like the outside of the brain).
inline Bytes gzip_sample_data(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 10.0f);
  Bytes out(n, 0);
  for (std::size_t i = 0; i + 4 <= n * 3 / 4; i += 4) {
    const float v = 1000.0f + 50.0f * std::sin(0.001f * static_cast<float>(i)) + noise(rng);
    std::memcpy(&out[i], &v, 4);
  }
  return out;
}

}  // namespace axon::test
