#pragma once
// The ITK interpolator for an axon Interpolation, shared by every ITK
// resampling (grid changes, rigid motion, reslicing).
#include <itkBSplineInterpolateImageFunction.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkNearestNeighborInterpolateImageFunction.h>

#include "axon/image/itk_bridge.hpp"
#include "axon/image/resample.hpp"

namespace axon {

template <class T>
typename itk::InterpolateImageFunction<ItkVolume<T>, double>::Pointer make_itk_interpolator(
    Interpolation interpolation) {
  using Volume = ItkVolume<T>;
  switch (interpolation) {
    case Interpolation::linear:
      return itk::LinearInterpolateImageFunction<Volume, double>::New().GetPointer();
    case Interpolation::bspline: {
      auto bspline = itk::BSplineInterpolateImageFunction<Volume, double, double>::New();
      bspline->SetSplineOrder(3);  // cubic
      return bspline.GetPointer();
    }
    case Interpolation::nearest:
    default:
      return itk::NearestNeighborInterpolateImageFunction<Volume, double>::New().GetPointer();
  }
}

}  // namespace axon
