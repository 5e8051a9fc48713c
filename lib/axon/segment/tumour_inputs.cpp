#include "axon/segment/tumour_inputs.hpp"

#include <algorithm>
#include <sstream>

#include "axon/core/error.hpp"
#include "axon/denoise/volume_checks.hpp"
#include "axon/image/grid.hpp"
#include "axon/io/nifti.hpp"

namespace axon::segment {

std::vector<std::uint8_t> nonzero_brain_mask(const std::vector<Image<float>>& images) {
  if (images.empty()) return {};
  std::vector<std::uint8_t> brain(images.front().data.size(), 0);
  for (const auto& image : images)
    for (std::size_t i = 0; i < brain.size(); ++i)
      if (image.data[i] != 0.f) brain[i] = 1;
  return brain;
}

TumourInputs read_tumour_inputs(const std::vector<TumourChannelPath>& paths) {
  if (paths.empty()) throw InputError("", "no input images");
  TumourInputs in;
  in.paths = paths;
  for (const auto& channel : paths) {
    in.images.push_back(read_volume<float>(channel.path));
    denoise::require_finite(in.images.back(), channel.path);
    const Grid first = grid_of(in.images.front().header), grid = grid_of(in.images.back().header);
    if (!same_grid(first, grid, kTumourGridTolerance)) {
      std::ostringstream msg;
      msg << "is not on the grid of " << paths.front().path << " (" << grid.dims[0] << "x" << grid.dims[1] << "x"
          << grid.dims[2] << " vs " << first.dims[0] << "x" << first.dims[1] << "x" << first.dims[2];
      if (first.dims == grid.dims)
        msg << ", affines differ by up to " << (first.affine - grid.affine).cwiseAbs().maxCoeff() << " mm";
      msg << "); the four contrasts must be co-registered on one grid";
      throw InputError(channel.path, msg.str());
    }
  }
  in.brain = nonzero_brain_mask(in.images);
  if (std::none_of(in.brain.begin(), in.brain.end(), [](std::uint8_t b) { return b != 0; }))
    throw InputError(paths.front().path, "every channel is zero everywhere: no brain to segment");
  return in;
}

}  // namespace axon::segment
