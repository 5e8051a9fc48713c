#include "axon/register/coarse_grid.hpp"

#include <itkIdentityTransform.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkRegionOfInterestImageFilter.h>
#include <itkResampleImageFilter.h>
#include <itkSmoothingRecursiveGaussianImageFilter.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace axon::registration {

Volume::Pointer coarsened(const Volume::Pointer& image, double spacing_mm) {
  const auto spacing = image->GetSpacing();
  const auto size = image->GetLargestPossibleRegion().GetSize();
  Volume::SpacingType coarse = spacing;
  Volume::SizeType coarse_size = size;
  bool changed = false;
  for (unsigned d = 0; d < 3; ++d)
    if (spacing_mm > 0 && spacing[d] < 0.95 * spacing_mm) {
      coarse[d] = spacing_mm;
      // The same extent (voxel edges) in whole coarse voxels, rounded up.
      coarse_size[d] = static_cast<itk::SizeValueType>(
          std::max(1.0, std::ceil(static_cast<double>(size[d]) * spacing[d] / spacing_mm - 1e-6)));
      changed = true;
    }
  if (!changed) return image;

  // The blur that takes the old resolution to the new one (FWHM matched).
  using Smoother = itk::SmoothingRecursiveGaussianImageFilter<Volume, Volume>;
  auto smoother = Smoother::New();
  smoother->SetInput(image);
  Smoother::SigmaArrayType sigma;
  for (unsigned d = 0; d < 3; ++d)
    sigma[d] = std::max(1e-3, std::sqrt(std::max(0.0, coarse[d] * coarse[d] - spacing[d] * spacing[d])) / 2.3548);
  smoother->SetSigmaArray(sigma);

  // The same centre: index (n-1)/2 of both grids is one world point.
  itk::ContinuousIndex<double, 3> middle;
  for (unsigned d = 0; d < 3; ++d) middle[d] = (static_cast<double>(size[d]) - 1) / 2;
  itk::Point<double, 3> centre;
  image->TransformContinuousIndexToPhysicalPoint(middle, centre);
  const auto direction = image->GetDirection();
  Volume::PointType origin = centre;
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned d = 0; d < 3; ++d)
      origin[r] -= direction[r][d] * coarse[d] * (static_cast<double>(coarse_size[d]) - 1) / 2;

  using Resampler = itk::ResampleImageFilter<Volume, Volume, double>;
  auto resampler = Resampler::New();
  resampler->SetInput(smoother->GetOutput());
  resampler->SetTransform(itk::IdentityTransform<double, 3>::New());
  resampler->SetInterpolator(itk::LinearInterpolateImageFunction<Volume, double>::New());
  resampler->SetOutputSpacing(coarse);
  resampler->SetOutputOrigin(origin);
  resampler->SetOutputDirection(direction);
  resampler->SetSize(coarse_size);
  resampler->SetDefaultPixelValue(0);
  resampler->Update();
  Volume::Pointer out = resampler->GetOutput();
  out->DisconnectPipeline();
  return out;
}

Volume::Pointer cropped_to_content(const Volume::Pointer& image, const Volume* content, double margin_mm) {
  // The index box of content's non-zero voxels.
  const auto content_size = content->GetLargestPossibleRegion().GetSize();
  std::array<long, 3> low{static_cast<long>(content_size[0]), static_cast<long>(content_size[1]),
                          static_cast<long>(content_size[2])};
  std::array<long, 3> high{-1, -1, -1};
  const float* v = content->GetBufferPointer();
  for (std::size_t z = 0, i = 0; z < content_size[2]; ++z)
    for (std::size_t y = 0; y < content_size[1]; ++y)
      for (std::size_t x = 0; x < content_size[0]; ++x, ++i)
        if (v[i] != 0) {
          const std::array<long, 3> at{static_cast<long>(x), static_cast<long>(y), static_cast<long>(z)};
          for (int d = 0; d < 3; ++d) low[d] = std::min(low[d], at[d]), high[d] = std::max(high[d], at[d]);
        }
  if (high[0] < 0) return image;  // all zero: nothing to crop to
  // Its eight corners in `image`'s continuous indices, then whole voxels
  // around them and the margin.
  std::array<double, 3> first{INFINITY, INFINITY, INFINITY}, last{-INFINITY, -INFINITY, -INFINITY};
  const auto origin = content->GetLargestPossibleRegion().GetIndex();
  for (int corner = 0; corner < 8; ++corner) {
    itk::ContinuousIndex<double, 3> c;
    for (int d = 0; d < 3; ++d) c[d] = static_cast<double>(origin[d] + ((corner >> d) & 1 ? high[d] : low[d]));
    itk::Point<double, 3> p;
    content->TransformContinuousIndexToPhysicalPoint(c, p);
    itk::ContinuousIndex<double, 3> in_image;
    image->TransformPhysicalPointToContinuousIndex(p, in_image);
    for (int d = 0; d < 3; ++d) first[d] = std::min(first[d], in_image[d]), last[d] = std::max(last[d], in_image[d]);
  }
  const auto region = image->GetLargestPossibleRegion();
  Volume::RegionType box;
  bool whole = true;
  for (unsigned d = 0; d < 3; ++d) {
    const double grow = margin_mm / image->GetSpacing()[d];
    const long start = region.GetIndex()[d], end = start + static_cast<long>(region.GetSize()[d]) - 1;
    const long from = std::max(start, static_cast<long>(std::floor(first[d] - grow + 1e-6)));
    const long to = std::min(end, static_cast<long>(std::ceil(last[d] + grow - 1e-6)));
    if (to < from) return image;  // content outside the grid: leave it whole
    box.SetIndex(d, from);
    box.SetSize(d, static_cast<itk::SizeValueType>(to - from + 1));
    whole = whole && from == start && to == end;
  }
  if (whole) return image;
  using Crop = itk::RegionOfInterestImageFilter<Volume, Volume>;
  auto crop = Crop::New();
  crop->SetInput(image);
  crop->SetRegionOfInterest(box);
  crop->Update();
  Volume::Pointer out = crop->GetOutput();
  out->DisconnectPipeline();
  return out;
}

unsigned coarsening_factor(const Volume* fine, const Volume* coarse) {
  const auto a = fine->GetSpacing(), b = coarse->GetSpacing();
  const double ratio = std::min({b[0], b[1], b[2]}) / std::min({a[0], a[1], a[2]});
  return 1u << static_cast<unsigned>(std::max(0L, std::lround(std::log2(ratio))));
}

ItkField::Pointer field_on_grid(const ItkField* field, const itk::ImageBase<3>* grid) {
  using Resampler = itk::ResampleImageFilter<ItkField, ItkField, double>;
  auto resampler = Resampler::New();
  resampler->SetInput(field);
  resampler->SetTransform(itk::IdentityTransform<double, 3>::New());
  resampler->SetInterpolator(itk::LinearInterpolateImageFunction<ItkField, double>::New());
  resampler->SetOutputParametersFromImage(grid);
  resampler->SetDefaultPixelValue(ItkField::PixelType(0.0));
  resampler->Update();
  ItkField::Pointer out = resampler->GetOutput();
  out->DisconnectPipeline();
  return out;
}

}  // namespace axon::registration
