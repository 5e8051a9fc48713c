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

bool TumourInputs::moved(const std::string& name) const {
  for (std::size_t c = 0; c < coregistration.size(); ++c)
    if (paths[c].name == name) return coregistration[c].moved;
  return false;
}

nlohmann::json TumourInputs::coregistration_json() const {
  if (coregistration.empty()) return nullptr;
  nlohmann::json contrasts = nlohmann::json::object();
  double seconds = 0;
  for (std::size_t c = 0; c < coregistration.size(); ++c) {
    contrasts[paths[c].name] = coregistration[c].to_json();
    seconds += coregistration[c].seconds;
  }
  return {{"reference", kTumourReferenceChannel},
          {"method",
           "each contrast not on the reference's grid: rigid registration to the reference (itk::Euler3DTransform, "
           "Mattes MI with 32 bins, centres of mass aligned first, shrink 8/4/2/1), then linear resampling onto "
           "its grid; matrix_lps maps a reference point (LPS mm) into the contrast's own space"},
          {"contrasts", contrasts},
          {"seconds", seconds}};
}

namespace {

// InputError naming `path` when `grid` is not the first channel's.
void require_first_grid(const Grid& first, const std::string& first_path, const Grid& grid, const std::string& path) {
  if (same_grid(first, grid, kTumourGridTolerance)) return;
  std::ostringstream msg;
  msg << "is not on the grid of " << first_path << " (" << grid.dims[0] << "x" << grid.dims[1] << "x" << grid.dims[2]
      << " vs " << first.dims[0] << "x" << first.dims[1] << "x" << first.dims[2];
  if (first.dims == grid.dims)
    msg << ", affines differ by up to " << (first.affine - grid.affine).cwiseAbs().maxCoeff() << " mm";
  msg << "); the four contrasts must be co-registered on one grid";
  throw InputError(path, msg.str());
}

}  // namespace

TumourInputs read_tumour_inputs(const std::vector<TumourChannelPath>& paths, TumourCoregistration coregistration,
                                std::uint64_t seed) {
  if (paths.empty()) throw InputError("", "no input images");
  TumourInputs in;
  in.paths = paths;
  for (const auto& channel : paths) {
    in.images.push_back(read_volume<float>(channel.path));
    denoise::require_finite(in.images.back(), channel.path);
    if (coregistration == TumourCoregistration::off)
      require_first_grid(grid_of(in.images.front().header), paths.front().path, grid_of(in.images.back().header),
                         channel.path);
  }
  if (coregistration == TumourCoregistration::automatic) {
    std::size_t ref = 0;
    for (std::size_t c = 0; c < paths.size(); ++c)
      if (paths[c].name == kTumourReferenceChannel) ref = c;
    const registration::NamedImage reference{&in.images[ref], paths[ref].path};
    CoregisterOptions options;
    options.grid_tolerance_mm = kTumourGridTolerance;
    options.seed = seed;
    for (std::size_t c = 0; c < paths.size(); ++c) {
      in.coregistration.emplace_back();
      in.coregistration.back().path = paths[c].path;
      if (c != ref) in.coregistration.back() = coregister_to_reference(reference, in.images[c], paths[c].path, options);
    }
  }
  in.brain = nonzero_brain_mask(in.images);
  if (std::none_of(in.brain.begin(), in.brain.end(), [](std::uint8_t b) { return b != 0; }))
    throw InputError(paths.front().path, "every channel is zero everywhere: no brain to segment");
  return in;
}

}  // namespace axon::segment
