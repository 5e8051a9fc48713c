// Where `axon-motion simulate` spends its time: the stages of the command
// (read, head mask, motion simulation, 3D + per-slice SSIM, write) timed
// one by one on IN with the --severity preset's motion, for
// bench/quality_speed.sh. Threads: OMP_NUM_THREADS.
// Usage: bench_simulate_stages IN [low|medium|high] [SEED]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "axon/core/error.hpp"
#include "axon/denoise/image_quality.hpp"
#include "axon/io/nifti.hpp"
#include "axon/quality/head_masks.hpp"
#include "axon/quality/inputs.hpp"
#include "axon/quality/motion_simulation.hpp"

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: bench_simulate_stages IN [low|medium|high] [SEED]\n");
    return 2;
  }
  namespace q = axon::quality;
  try {
    const std::string severity = argc > 2 ? argv[2] : "high";
    const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 0;
    auto t = std::chrono::steady_clock::now();
    const auto clean = q::read_structural(argv[1]);
    std::printf("read\t%.3f\n", seconds_since(t));
    t = std::chrono::steady_clock::now();
    const auto mask = q::head_mask(clean);
    std::printf("head mask\t%.3f\n", seconds_since(t));
    const auto plan = q::draw_motion_plan(q::severity_settings(severity), 1, seed);
    t = std::chrono::steady_clock::now();
    auto corrupted = q::simulate_motion(clean, plan);
    std::printf("simulate_motion\t%.3f\n", seconds_since(t));
    corrupted.header.datatype = static_cast<int>(axon::DataType::float32);  // as simulate writes it
    corrupted.header.scl_slope = corrupted.header.scl_inter = 0;
    const double range = axon::denoise::reference_data_range(clean.data.data(), clean.data.size());
    const axon::denoise::Dims3 dims{clean.nx(), clean.ny(), clean.nz()};
    t = std::chrono::steady_clock::now();
    const auto ssim =
        axon::denoise::structural_similarity_with_slices(corrupted.data.data(), clean.data.data(), dims, range, mask);
    std::printf("ssim 3D + per slice (one pass, as simulate)\t%.3f\n", seconds_since(t));
    t = std::chrono::steady_clock::now();
    const double ssim3d =
        axon::denoise::structural_similarity(corrupted.data.data(), clean.data.data(), dims, range, mask);
    std::printf("  for scale: ssim 3D alone\t%.3f\n", seconds_since(t));
    t = std::chrono::steady_clock::now();
    const auto slices = axon::denoise::slice_structural_similarity(corrupted.data.data(), clean.data.data(), dims, range, mask);
    std::printf("  for scale: ssim per slice alone\t%.3f\n", seconds_since(t));
    char path[] = "/tmp/bench_simulate_stages_XXXXXX";
    const int fd = mkstemp(path);
    if (fd >= 0) close(fd);
    const std::string out = std::string(path) + ".nii.gz";
    t = std::chrono::steady_clock::now();
    axon::write_image(corrupted, out);
    std::printf("write .nii.gz\t%.3f\n", seconds_since(t));
    std::remove(out.c_str());
    std::remove(path);
    std::printf("ssim\t%.6f (slice %zu: %.6f; separately %.6f, %.6f)\n", ssim.volume, slices.size() / 2,
                ssim.slices[slices.size() / 2], ssim3d, slices[slices.size() / 2]);
  } catch (const axon::Error& e) {
    std::fprintf(stderr, "bench_simulate_stages: error: %s\n", e.what());
    return static_cast<int>(e.code());
  }
  return 0;
}
