#include "axon/register/initial_alignment.hpp"

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"

namespace axon::registration {
namespace {
Eigen::Vector3d to_lps(const Eigen::Vector3d& ras) { return {-ras[0], -ras[1], ras[2]}; }
}  // namespace

Eigen::Vector3d grid_centre_lps(const ImageHeader& header) {
  const Grid grid = grid_of(header);
  return to_lps(grid.world(0.5 * (grid.dims[0] - 1), 0.5 * (grid.dims[1] - 1), 0.5 * (grid.dims[2] - 1)));
}

Eigen::Vector3d centre_of_mass_lps(const Image<float>& image, const Image<float>* mask) {
  const Grid grid = grid_of(image.header);
  Eigen::Vector3d sum = Eigen::Vector3d::Zero();
  double total = 0;
  for (int64_t k = 0; k < image.nz(); ++k)
    for (int64_t j = 0; j < image.ny(); ++j)
      for (int64_t i = 0; i < image.nx(); ++i) {
        const std::size_t v = image.index(i, j, k);
        const double w = image.data[v];
        if (!(w > 0) || (mask && !(mask->data[v] > 0))) continue;
        sum += w * Eigen::Vector3d(static_cast<double>(i), static_cast<double>(j), static_cast<double>(k));
        total += w;
      }
  if (!(total > 0)) return grid_centre_lps(image.header);  // nothing positive: the grid's centre
  const Eigen::Vector3d index = sum / total;
  return to_lps(grid.world(index[0], index[1], index[2]));
}

LinearTransform initial_transform(const Image<float>& fixed, const Image<float>& moving, const Image<float>* fixed_mask,
                                  const Image<float>* moving_mask, Initialisation how) {
  LinearTransform t;
  const bool moments = how == Initialisation::moments;
  t.centre = moments ? centre_of_mass_lps(fixed, fixed_mask) : grid_centre_lps(fixed.header);
  if (how == Initialisation::none) return t;
  const Eigen::Vector3d target = moments ? centre_of_mass_lps(moving, moving_mask) : grid_centre_lps(moving.header);
  t.matrix.topRightCorner<3, 1>() = target - t.centre;
  return t;
}

}  // namespace axon::registration
