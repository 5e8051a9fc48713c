#include "axon/core/random.hpp"

#include <cmath>
#include <limits>

namespace axon {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Rng::Rng(std::uint64_t seed) : engine_(seed) {}

Rng Rng::stream(std::uint64_t seed, std::uint64_t id) {
  // Mixing twice keeps (seed, id) and (seed', id') with seed ^ id == seed' ^
  // id' apart, which a plain xor would not.
  return Rng(splitmix64(splitmix64(seed) ^ splitmix64(id + 0x632be59bd9b4e019ULL)));
}

double Rng::uniform() {
  // The top 53 bits fill a double's mantissa exactly: no rounding to 1.0.
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

std::int64_t Rng::uniform_int(std::int64_t lo, std::int64_t hi) {
  if (hi <= lo) return lo;
  const std::uint64_t range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  if (range == 0) return static_cast<std::int64_t>(engine_());  // the whole 64-bit range
  // Rejection: draws at or above the largest multiple of `range` would make
  // small values more likely than large ones.
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = kMax - kMax % range;
  std::uint64_t x;
  do x = engine_();
  while (x >= limit);
  return lo + static_cast<std::int64_t>(x % range);
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * factor;
  has_spare_ = true;
  return u * factor;
}

}  // namespace axon
