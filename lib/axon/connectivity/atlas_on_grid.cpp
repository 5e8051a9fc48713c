#include "axon/connectivity/atlas_on_grid.hpp"

#include <algorithm>
#include <set>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/resample.hpp"
#include "axon/io/nifti.hpp"

namespace axon::connectivity {
namespace {

std::set<int32_t> labels_in(const Image<int32_t>& image) {
  std::set<int32_t> out;
  for (int32_t v : image.data)
    if (v != 0) out.insert(v);
  return out;
}

}  // namespace

AtlasOnGrid place_atlas(const std::string& atlas_path, const ImageHeader& bold_header) {
  Image<int32_t> atlas = read_volume<int32_t>(atlas_path);
  const std::set<int32_t> given = labels_in(atlas);
  if (given.empty()) throw InputError(atlas_path, "the atlas has no non-zero labels");
  const Grid bold_grid = grid_of(bold_header);
  const Grid atlas_grid = grid_of(atlas.header);
  AtlasOnGrid out;
  out.values.assign(given.begin(), given.end());
  if (same_grid(bold_grid, atlas_grid)) {
    out.labels = std::move(atlas);
    return out;
  }
  if (!grids_overlap(bold_grid, atlas_grid))
    throw InputError(atlas_path, "the atlas and the BOLD series do not overlap in world space (different spaces?)");
  ImageHeader target = bold_header;
  target.set_volumes(1);
  out.labels = resample_like(atlas, target, Interpolation::nearest, int32_t{0});
  out.resampled = true;
  const std::set<int32_t> kept = labels_in(out.labels);
  if (kept.empty())
    throw InputError(atlas_path, "no atlas label falls on the BOLD grid after resampling (different spaces?)");
  for (int32_t v : out.values)
    if (!kept.count(v)) out.lost.push_back(v);
  return out;
}

}  // namespace axon::connectivity
