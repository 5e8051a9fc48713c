#include "axon/image/resample.hpp"

#include <itkIdentityTransform.h>
#include <itkResampleImageFilter.h>

#include <type_traits>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/itk_bridge.hpp"
#include "axon/image/itk_interpolator.hpp"

namespace axon {

Interpolation parse_interpolation(const std::string& name) {
  if (name == "nearest") return Interpolation::nearest;
  if (name == "linear") return Interpolation::linear;
  if (name == "bspline") return Interpolation::bspline;
  throw UsageError("unknown interpolation '" + name + "' (nearest, linear, bspline)");
}

template <class T>
Image<T> resample_like(const Image<T>& source, const ImageHeader& target_header, Interpolation interpolation,
                       T outside) {
  if (std::is_integral_v<T> && interpolation != Interpolation::nearest)
    throw UsageError("integer (label) images can only be resampled with nearest-neighbour interpolation");
  using Volume = ItkVolume<T>;
  const Grid target = grid_of(target_header);

  Image<T> out;
  out.header = source.header;
  for (int d = 1; d <= 3; ++d) {
    out.header.dim[d] = target_header.dim[d];
    out.header.pixdim[d] = target_header.pixdim[d];
  }
  out.header.pixdim[0] = target_header.pixdim[0];
  for (double ImageHeader::*f : {&ImageHeader::quatern_b, &ImageHeader::quatern_c, &ImageHeader::quatern_d,
                  &ImageHeader::qoffset_x, &ImageHeader::qoffset_y, &ImageHeader::qoffset_z, &ImageHeader::qfac})
    out.header.*f = target_header.*f;
  out.header.qform = target_header.qform;
  out.header.sform = target_header.sform;
  out.header.qform_code = target_header.qform_code;
  out.header.sform_code = target_header.sform_code;
  out.header.xyz_units = target_header.xyz_units;
  const int64_t nt = source.nt();
  out.data.resize(static_cast<size_t>(target.voxels() * nt));

  auto reference = Volume::New();
  set_itk_geometry(reference, target);

  for (int64_t t = 0; t < nt; ++t) {
    auto input = itk_view(source, t);
    using Filter = itk::ResampleImageFilter<Volume, Volume, double>;
    auto filter = Filter::New();
    filter->SetInput(input);
    filter->SetTransform(itk::IdentityTransform<double, 3>::New());
    filter->SetOutputParametersFromImage(reference);
    filter->SetDefaultPixelValue(outside);
    filter->SetInterpolator(make_itk_interpolator<T>(interpolation));
    filter->Update();
    copy_from_itk(filter->GetOutput(), out, t);
  }
  return out;
}

template Image<float> resample_like<float>(const Image<float>&, const ImageHeader&, Interpolation, float);
template Image<double> resample_like<double>(const Image<double>&, const ImageHeader&, Interpolation, double);
template Image<int32_t> resample_like<int32_t>(const Image<int32_t>&, const ImageHeader&, Interpolation, int32_t);

}  // namespace axon
