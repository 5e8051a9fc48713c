#include "axon/segment/surface_distance.hpp"

#include <itkImage.h>
#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>

#include "axon/core/error.hpp"

namespace axon::segment {

BinaryVolume surface_voxels(const BinaryVolume& region, const std::array<int64_t, 3>& dims) {
  const int64_t nx = dims[0], ny = dims[1], nz = dims[2];
  BinaryVolume surface(region.size(), 0);
#pragma omp parallel for schedule(static)
  for (int64_t z = 0; z < nz; ++z)
    for (int64_t y = 0; y < ny; ++y)
      for (int64_t x = 0; x < nx; ++x) {
        const int64_t i = (z * ny + y) * nx + x;
        if (!region[i]) continue;
        const bool edge = x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1;
        surface[i] = edge || !region[i - 1] || !region[i + 1] || !region[i - nx] || !region[i + nx] ||
                     !region[i - nx * ny] || !region[i + nx * ny];
      }
  return surface;
}

std::vector<double> distance_to_set(const BinaryVolume& set, const Grid& grid) {
  using Input = itk::Image<std::uint8_t, 3>;
  using Output = itk::Image<double, 3>;
  if (std::find(set.begin(), set.end(), 1) == set.end())
    throw Error(ExitCode::other, "internal error: distance to an empty set");
  // Only distances matter, not where the grid sits in the world: the
  // spacing alone (column norms of the affine; axes taken as orthogonal).
  auto image = Input::New();
  Input::RegionType region;
  Input::SizeType size;
  Input::SpacingType spacing;
  const Eigen::Vector3d s = grid.spacing();
  for (int d = 0; d < 3; ++d) {
    size[d] = static_cast<itk::SizeValueType>(grid.dims[d]);
    spacing[d] = s[d] > 0 ? s[d] : 1.0;
  }
  region.SetSize(size);
  image->SetRegions(region);
  image->SetSpacing(spacing);
  image->GetPixelContainer()->SetImportPointer(const_cast<std::uint8_t*>(set.data()), set.size(), false);

  // Maurer et al. 2003: exact Euclidean distance, linear time. Outside the
  // set it is the distance to the nearest set voxel; inside we want 0 (its
  // inside values measure the distance to the set's own boundary).
  auto maurer = itk::SignedMaurerDistanceMapImageFilter<Input, Output>::New();
  maurer->SetInput(image);
  maurer->SetUseImageSpacing(true);
  maurer->SetSquaredDistance(false);
  maurer->SetInsideIsPositive(false);
  maurer->SetBackgroundValue(0);
  maurer->Update();
  const double* d = maurer->GetOutput()->GetBufferPointer();
  std::vector<double> out(d, d + set.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    if (set[i]) out[i] = 0;
  return out;
}

}  // namespace axon::segment
