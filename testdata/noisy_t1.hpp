#pragma once
// Colin27's brain (ch2bet) with Rician noise of known sigma: the truth for
// denoising and noise estimation.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "axon/core/atomic_output.hpp"
#include "axon/image/image.hpp"
#include "testdata/anatomy.hpp"

namespace axon::testdata {

struct NoisyT1 {
  Image<float> clean;   // ch2bet scaled linearly to [0, 1000], float32
  Image<float> noisy;   // sqrt((clean + n1)^2 + n2^2), n1, n2 ~ N(0, sigma^2)
  double sigma = 0;     // sigma_percent % of 1000
  double sigma_percent = 0;
  std::uint64_t seed = 0;
  std::string source;   // the ch2bet path
};

// Magnitude of a complex signal with Gaussian noise in both channels: the
// Rician model of MR magnitude images (Gudbjartsson & Patz 1995). One RNG
// stream per slice, so the result is the same for any thread count.
NoisyT1 make_noisy_t1(double sigma_percent, std::uint64_t seed,
                      const std::string& template_dir = kDefaultTemplateDir);

// The truth as JSON: sigma, seed, source, the model.
nlohmann::json noisy_t1_truth(const NoisyT1& t1);

// Adds to `outputs` and writes the noisy and clean images and the truth JSON
// (sidecar of the noisy image, with `extra` merged in).
void write_noisy_t1(const NoisyT1& t1, const std::string& noisy_path, const std::string& clean_path,
                    OutputSet& outputs, const nlohmann::json& extra = nlohmann::json::object());

}  // namespace axon::testdata
