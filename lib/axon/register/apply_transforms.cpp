#include "axon/register/apply_transforms.hpp"

#include <itkAffineTransform.h>
#include <itkCompositeTransform.h>
#include <itkDisplacementFieldTransform.h>
#include <itkLabelImageGaussianInterpolateImageFunction.h>
#include <itkResampleImageFilter.h>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/itk_bridge.hpp"
#include "axon/image/itk_interpolator.hpp"
#include "axon/register/displacement_field.hpp"

namespace axon::registration {
namespace {

using Volume = ItkVolume<float>;
using Composite = itk::CompositeTransform<double, 3>;

Composite::Pointer itk_chain(const TransformChain& chain) {
  auto composite = Composite::New();
  // ITK applies the transform added last first: add the chain backwards.
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const TransformStep& step = *it;
    if (step.linear) {
      auto affine = itk::AffineTransform<double, 3>::New();
      itk::Point<double, 3> centre;
      itk::Matrix<double, 3, 3> matrix;
      itk::Vector<double, 3> offset;
      for (int r = 0; r < 3; ++r) {
        centre[r] = step.linear->centre[r];
        for (int c = 0; c < 3; ++c) matrix[r][c] = step.linear->matrix(r, c);
        offset[r] = step.linear->matrix(r, 3);
      }
      affine->SetCenter(centre);
      affine->SetMatrix(matrix);
      affine->SetOffset(offset);
      composite->AddTransform(affine);
    } else if (step.field) {
      auto field = itk::DisplacementFieldTransform<double, 3>::New();
      field->SetDisplacementField(to_itk_field(*step.field));
      composite->AddTransform(field);
    }
  }
  return composite;
}

itk::InterpolateImageFunction<Volume, double>::Pointer make_interpolator(ApplyInterpolation mode,
                                                                         const Volume* input) {
  switch (mode) {
    case ApplyInterpolation::linear: return make_itk_interpolator<float>(Interpolation::linear);
    case ApplyInterpolation::bspline: return make_itk_interpolator<float>(Interpolation::bspline);
    case ApplyInterpolation::nearest: return make_itk_interpolator<float>(Interpolation::nearest);
    default: {
      auto label = itk::LabelImageGaussianInterpolateImageFunction<Volume, double>::New();
      double sigma[3];
      for (int d = 0; d < 3; ++d) sigma[d] = 0.5 * input->GetSpacing()[d];
      label->SetSigma(sigma);
      label->SetAlpha(3.0);
      return label.GetPointer();
    }
  }
}

}  // namespace

ApplyInterpolation parse_apply_interpolation(const std::string& name) {
  if (name == "linear") return ApplyInterpolation::linear;
  if (name == "bspline") return ApplyInterpolation::bspline;
  if (name == "nearest") return ApplyInterpolation::nearest;
  if (name == "label") return ApplyInterpolation::label;
  throw UsageError("--interpolation: unknown '" + name + "' (linear, bspline, nearest, label)");
}

const char* interpolation_name(ApplyInterpolation interpolation) {
  switch (interpolation) {
    case ApplyInterpolation::linear: return "linear";
    case ApplyInterpolation::bspline: return "bspline";
    case ApplyInterpolation::nearest: return "nearest";
    default: return "label";
  }
}

Image<float> apply_transforms(const Image<float>& input, const ImageHeader& reference, const TransformChain& chain,
                              ApplyInterpolation interpolation, float outside) {
  const Grid target = grid_of(reference);
  Image<float> out;
  out.header = input.header;
  for (int d = 1; d <= 3; ++d) {
    out.header.dim[d] = reference.dim[d];
    out.header.pixdim[d] = reference.pixdim[d];
  }
  if (out.header.dim[0] < 3) out.header.dim[0] = 3;
  for (double ImageHeader::*f : {&ImageHeader::quatern_b, &ImageHeader::quatern_c, &ImageHeader::quatern_d,
                                 &ImageHeader::qoffset_x, &ImageHeader::qoffset_y, &ImageHeader::qoffset_z,
                                 &ImageHeader::qfac})
    out.header.*f = reference.*f;
  out.header.qform = reference.qform;
  out.header.sform = reference.sform;
  out.header.qform_code = reference.qform_code;
  out.header.sform_code = reference.sform_code;
  out.header.xyz_units = reference.xyz_units;
  const bool smooth = interpolation == ApplyInterpolation::linear || interpolation == ApplyInterpolation::bspline;
  if (smooth && datatype_is_integer(out.header.datatype)) {
    out.header.datatype = static_cast<int>(DataType::float32);
    out.header.scl_slope = out.header.scl_inter = 0;
  }
  const int64_t nt = input.nt();
  out.data.resize(static_cast<std::size_t>(target.voxels() * nt));

  auto grid = Volume::New();
  set_itk_geometry(grid, target);
  auto transform = itk_chain(chain);
  for (int64_t t = 0; t < nt; ++t) {
    auto view = itk_view(input, t);
    using Filter = itk::ResampleImageFilter<Volume, Volume, double>;
    auto filter = Filter::New();
    filter->SetInput(view);
    filter->SetTransform(transform);
    filter->SetOutputParametersFromImage(grid);
    filter->SetDefaultPixelValue(outside);
    filter->SetInterpolator(make_interpolator(interpolation, view));
    filter->Update();
    copy_from_itk(filter->GetOutput(), out, t);
  }
  return out;
}

std::vector<Eigen::Vector3d> transform_points(const TransformChain& chain, const std::vector<Eigen::Vector3d>& points_lps) {
  auto transform = itk_chain(chain);
  std::vector<Eigen::Vector3d> out;
  out.reserve(points_lps.size());
  for (const auto& point : points_lps) {
    itk::Point<double, 3> p;
    for (int d = 0; d < 3; ++d) p[d] = point[d];
    const auto q = transform->TransformPoint(p);
    out.emplace_back(q[0], q[1], q[2]);
  }
  return out;
}

}  // namespace axon::registration
