#include "axon/quality/slice_ssim.hpp"

namespace axon::quality {

std::vector<double> slice_ssim(const float* test, const float* ref, const denoise::Dims3& dims, double data_range,
                               const std::vector<std::uint8_t>& mask) {
  return denoise::slice_structural_similarity(test, ref, dims, data_range, mask);
}

}  // namespace axon::quality
