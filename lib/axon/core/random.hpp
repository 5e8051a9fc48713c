#pragma once
// The one random number generator of axon: deterministic and portable.
//
// Why not <random>'s distributions: the C++ standard fully specifies the
// engines (std::mt19937_64 yields the same 64-bit stream everywhere), but
// NOT std::uniform_real_distribution or std::normal_distribution, whose
// algorithms differ between libstdc++, libc++ and MSVC. A seed must give the
// same synthetic data and the same random choices on every platform, so the
// distributions are written out here on top of the engine's raw bits.
// (uniform() and uniform_int() are bit-exact everywhere; normal() also needs
// std::log and std::sqrt, which IEEE 754 libms agree on to the last bit for
// all but rare ties of log.)
//
// Why streams: a generator shared by threads gives results that depend on
// scheduling. Work that runs in parallel (one volume, one slice, one
// bootstrap sample) takes its own generator from `Rng::stream(seed, id)`, so
// the output is the same for any thread count.
#include <cstdint>
#include <random>

namespace axon {

// SplitMix64 (Steele, Lea & Flood 2014): a bijective 64-bit mixer, used to
// turn (seed, stream id) into well-separated engine seeds.
std::uint64_t splitmix64(std::uint64_t x);

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  // An independent generator for sub-task `id` of a run seeded with `seed`.
  static Rng stream(std::uint64_t seed, std::uint64_t id);

  std::uint64_t next_u64() { return engine_(); }
  // Uniform on [0, 1) with 53 random bits (every double of the form k/2^53).
  double uniform();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer on [lo, hi] (inclusive), without modulo bias.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
  // Standard normal by Marsaglia's polar method (Marsaglia & Bray 1964); the
  // second value of each pair is kept for the next call.
  double normal();
  double normal(double mean, double sd) { return mean + sd * normal(); }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace axon
