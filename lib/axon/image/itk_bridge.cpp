#include "axon/image/itk_bridge.hpp"

#include <Eigen/Dense>
#include <algorithm>

#include "axon/core/error.hpp"

namespace axon {
namespace {
const Eigen::Matrix4d kRasToLps = Eigen::Vector4d(-1, -1, 1, 1).asDiagonal();
}

void set_itk_geometry(itk::ImageBase<3>* image, const Grid& grid) {
  Eigen::Matrix4d lps = kRasToLps * grid.affine;
  itk::ImageBase<3>::SpacingType spacing;
  itk::ImageBase<3>::PointType origin;
  itk::ImageBase<3>::DirectionType direction;
  for (int c = 0; c < 3; ++c) {
    double s = lps.block<3, 1>(0, c).norm();
    spacing[c] = s > 0 ? s : 1.0;
    for (int r = 0; r < 3; ++r) direction[r][c] = s > 0 ? lps(r, c) / s : (r == c ? 1.0 : 0.0);
    origin[c] = lps(c, 3);
  }
  itk::ImageBase<3>::RegionType region;
  itk::ImageBase<3>::SizeType size;
  for (int d = 0; d < 3; ++d) size[d] = static_cast<itk::SizeValueType>(grid.dims[d]);
  region.SetSize(size);
  image->SetRegions(region);
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
}

Grid grid_of_itk(const itk::ImageBase<3>* image) {
  Grid g;
  auto size = image->GetLargestPossibleRegion().GetSize();
  for (int d = 0; d < 3; ++d) g.dims[d] = static_cast<int64_t>(size[d]);
  Eigen::Matrix4d lps = Eigen::Matrix4d::Identity();
  for (int c = 0; c < 3; ++c) {
    for (int r = 0; r < 3; ++r) lps(r, c) = image->GetDirection()[r][c] * image->GetSpacing()[c];
    lps(c, 3) = image->GetOrigin()[c];
  }
  g.affine = kRasToLps * lps;  // the flip is its own inverse
  return g;
}

template <class T>
typename ItkVolume<T>::Pointer itk_view(const Image<T>& image, int64_t t) {
  auto out = ItkVolume<T>::New();
  set_itk_geometry(out, grid_of(image.header));
  const size_t n = static_cast<size_t>(image.voxels_per_volume());
  // ITK's import API takes a non-const pointer; it is never written through
  // because the container does not own the memory and filters copy inputs.
  out->GetPixelContainer()->SetImportPointer(const_cast<T*>(image.volume(t)), n, false);
  return out;
}

template <class T>
void copy_from_itk(const ItkVolume<T>* volume, Image<T>& out, int64_t t) {
  const size_t n = static_cast<size_t>(out.voxels_per_volume());
  if (volume->GetBufferedRegion().GetNumberOfPixels() != n)
    throw Error(ExitCode::other, "internal error: ITK volume size does not match the output grid");
  std::copy_n(volume->GetBufferPointer(), n, out.volume(t));
}

template ItkVolume<float>::Pointer itk_view<float>(const Image<float>&, int64_t);
template ItkVolume<double>::Pointer itk_view<double>(const Image<double>&, int64_t);
template ItkVolume<int32_t>::Pointer itk_view<int32_t>(const Image<int32_t>&, int64_t);
template void copy_from_itk<float>(const ItkVolume<float>*, Image<float>&, int64_t);
template void copy_from_itk<double>(const ItkVolume<double>*, Image<double>&, int64_t);
template void copy_from_itk<int32_t>(const ItkVolume<int32_t>*, Image<int32_t>&, int64_t);

}  // namespace axon
