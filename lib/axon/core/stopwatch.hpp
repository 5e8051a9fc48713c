#pragma once
// Seconds elapsed since a time point: the timings tools report in sidecars
// and logs (one definition for the whole suite).
#include <chrono>

namespace axon {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace axon
