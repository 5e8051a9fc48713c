// Reads a 4D series under a mask (streaming) and reports wall time and the
// process's peak resident memory, for bench/io_memory.sh.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>

#include "axon/core/error.hpp"
#include "axon/image/resample.hpp"
#include "axon/io/masked_series.hpp"
#include "axon/io/nifti.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench_masked_read SERIES MASK\n");
    return 2;
  }
  try {
    auto start = std::chrono::steady_clock::now();
    auto mask_image = axon::read_volume<float>(argv[2]);
    auto mask = axon::mask_from_image(mask_image, argv[2]);
    Eigen::MatrixXf m = axon::read_masked_series(argv[1], mask);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("{\"voxels\": %ld, \"volumes\": %ld, \"seconds\": %.3f, \"peak_rss_mb\": %.1f, \"checksum\": %.6g}\n",
                static_cast<long>(m.rows()), static_cast<long>(m.cols()), seconds, usage.ru_maxrss / 1024.0,
                static_cast<double>(m.sum()));
  } catch (const axon::Error& e) {
    std::fprintf(stderr, "bench_masked_read: error: %s\n", e.what());
    return static_cast<int>(e.code());
  }
  return 0;
}
