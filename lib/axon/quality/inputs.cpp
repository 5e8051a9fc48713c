#include "axon/quality/inputs.hpp"

#include "axon/core/error.hpp"
#include "axon/denoise/image_quality.hpp"
#include "axon/denoise/volume_checks.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/mask.hpp"
#include "axon/io/nifti.hpp"

namespace axon::quality {

Image<float> read_structural(const std::string& path) {
  Image<float> image = read_volume<float>(path);
  denoise::require_finite(image, path);
  const int window = 2 * denoise::SsimParameters{}.radius() + 1;
  for (int64_t d : {image.nx(), image.ny(), image.nz()})
    if (d < window)
      throw InputError(path, "a 3D volume with at least " + std::to_string(window) +
                                 " voxels along every axis is needed (SSIM's window)");
  return image;
}

ByteMask read_mask_like(const std::string& mask_path, const Image<float>& image, const std::string& image_path) {
  const auto m = read_volume<float>(mask_path);
  require_same_grid(grid_of(image.header), image_path, grid_of(m.header), mask_path);
  const Mask mask = mask_from_image(m, mask_path);  // empty: InputError
  ByteMask out(image.data.size(), 0);
  for (int64_t i : mask.indices) out[i] = 1;
  return out;
}

int phase_encode_axis(const std::string& choice, const ImageHeader& header) {
  if (choice == "x") return 0;
  if (choice == "y") return 1;
  if (choice == "z") return 2;
  if (choice == "phase-encode") return header.phase_dim >= 1 && header.phase_dim <= 3 ? header.phase_dim - 1 : 1;
  throw UsageError("--axis: '" + choice + "' is not one of phase-encode, x, y, z");
}

}  // namespace axon::quality
