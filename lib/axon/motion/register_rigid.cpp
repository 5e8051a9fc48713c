#include "axon/motion/register_rigid.hpp"

#include <itkCorrelationImageToImageMetricv4.h>
#include <itkEuler3DTransform.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkMeanSquaresImageToImageMetricv4.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>

#include <Eigen/Dense>

#include <algorithm>
#include <array>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/itk_bridge.hpp"

namespace axon::motion {
namespace {
using Volume = ItkVolume<float>;
using Transform = itk::Euler3DTransform<double>;
using Optimizer = itk::RegularStepGradientDescentOptimizerv4<double>;
using Registration = itk::ImageRegistrationMethodv4<Volume, Volume, Transform>;
using MetricBase = itk::ImageToImageMetricv4<Volume, Volume, Volume, double>;

const Eigen::Matrix4d kFlip = Eigen::Vector4d(-1, -1, 1, 1).asDiagonal();  // RAS <-> LPS

Eigen::Matrix4d matrix_of(const Transform* t) {
  Eigen::Matrix4d m = Eigen::Matrix4d::Identity();
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) m(r, c) = t->GetMatrix()[r][c];
    m(r, 3) = t->GetOffset()[r];
  }
  return m;
}

// ITK's recursive Gaussian smoothing (run at every level of the pyramid)
// needs at least 4 voxels along every axis, which a thin slab (nipy's
// functional.nii.gz has 3 slices) lacks: such an axis is padded on both
// sides by repeating its edge slices, with the affine shifted so that every
// original voxel keeps its world position (the motion is found in world
// coordinates, so the padding does not change its meaning).
constexpr int64_t kMinimumAxis = 4;

Image<float> pad_thin_axes(const Image<float>& v) {
  const std::array<int64_t, 3> n{v.nx(), v.ny(), v.nz()};
  std::array<int64_t, 3> before{0, 0, 0}, size = n;
  for (int d = 0; d < 3; ++d)
    if (n[d] < kMinimumAxis) before[d] = (kMinimumAxis - n[d] + 1) / 2, size[d] = n[d] + 2 * before[d];
  if (size == n) return v;
  Image<float> out;
  out.header = v.header;
  for (int d = 0; d < 3; ++d) out.header.dim[d + 1] = size[d];
  Eigen::Matrix4d shift = Eigen::Matrix4d::Identity();
  for (int d = 0; d < 3; ++d) shift(d, 3) = -static_cast<double>(before[d]);
  out.header.set_affine(v.header.affine() * shift, 1, 1);
  out.data.resize(static_cast<std::size_t>(size[0] * size[1] * size[2]));
  const auto clamp = [](int64_t i, int64_t m) { return std::min(std::max<int64_t>(i, 0), m - 1); };
  for (int64_t k = 0; k < size[2]; ++k)
    for (int64_t j = 0; j < size[1]; ++j)
      for (int64_t i = 0; i < size[0]; ++i)
        out.data[static_cast<std::size_t>((k * size[1] + j) * size[0] + i)] =
            v.at(clamp(i - before[0], n[0]), clamp(j - before[1], n[1]), clamp(k - before[2], n[2]));
  return out;
}

MetricBase::Pointer make_metric(RegistrationMetric kind) {
  if (kind == RegistrationMetric::correlation)
    return itk::CorrelationImageToImageMetricv4<Volume, Volume, Volume, double>::New().GetPointer();
  return itk::MeanSquaresImageToImageMetricv4<Volume, Volume, Volume, double>::New().GetPointer();
}
}  // namespace

RigidParams register_rigid(const Image<float>& fixed, const Image<float>& moving,
                           const RigidRegistrationOptions& options, const RigidParams& initial) {
  if (fixed.nt() != 1 || moving.nt() != 1) throw InputError("", "rigid registration needs two 3D volumes");
  require_same_grid(grid_of(fixed.header), "the reference", grid_of(moving.header), "the volume");
  if (options.shrink_factors.size() != options.smoothing_sigmas.size() || options.shrink_factors.empty())
    throw UsageError("registration: one smoothing sigma per shrink factor is needed");

  const Eigen::Vector3d centre = grid_centre_ras(fixed.header);
  const Eigen::Vector3d centre_lps = (kFlip * centre.homogeneous()).head<3>();

  auto transform = Transform::New();
  transform->SetComputeZYX(true);  // R = Rz Ry Rx, as rigid.hpp
  Transform::InputPointType c;
  for (int i = 0; i < 3; ++i) c[i] = centre_lps[i];
  transform->SetCenter(c);
  {
    // The initial motion, conjugated into LPS, as a matrix: SetMatrix keeps
    // the centre and derives the angles and translation.
    const Eigen::Matrix4d m = kFlip * rigid_matrix(initial, centre) * kFlip;
    Transform::MatrixType matrix;
    Transform::OutputVectorType offset;
    for (int r = 0; r < 3; ++r) {
      for (int k = 0; k < 3; ++k) matrix[r][k] = m(r, k);
      offset[r] = m(r, 3);
    }
    transform->SetMatrix(matrix, 1e-6);
    transform->SetOffset(offset);
  }

  auto metric = make_metric(options.metric);
  metric->SetMaximumNumberOfWorkUnits(1);
  metric->SetMovingInterpolator(itk::LinearInterpolateImageFunction<Volume, double>::New());
  // Parameter scales from the physical shift each parameter causes, so one
  // step size means "about this many mm" for rotations and translations alike.
  auto scales = itk::RegistrationParameterScalesFromPhysicalShift<MetricBase>::New();
  scales->SetMetric(metric);

  auto optimizer = Optimizer::New();
  optimizer->SetNumberOfWorkUnits(1);
  optimizer->SetScalesEstimator(scales);
  optimizer->SetDoEstimateLearningRateOnce(false);
  optimizer->SetDoEstimateLearningRateAtEachIteration(false);
  optimizer->SetLearningRate(options.learning_rate);
  optimizer->SetMinimumStepLength(options.minimum_step);
  optimizer->SetRelaxationFactor(options.relaxation);
  optimizer->SetNumberOfIterations(options.iterations);
  optimizer->SetGradientMagnitudeTolerance(1e-8);
  optimizer->SetReturnBestParametersAndValue(true);

  const Image<float> fixed_padded = pad_thin_axes(fixed), moving_padded = pad_thin_axes(moving);
  auto fixed_itk = itk_view(fixed_padded);
  auto moving_itk = itk_view(moving_padded);
  auto registration = Registration::New();
  registration->SetNumberOfWorkUnits(1);
  registration->SetFixedImage(fixed_itk);
  registration->SetMovingImage(moving_itk);
  registration->SetMetric(metric);
  registration->SetOptimizer(optimizer);
  registration->SetInitialTransform(transform);
  registration->InPlaceOn();  // the optimised transform is `transform` itself
  // Every voxel, no random sampling: deterministic.
  registration->SetMetricSamplingStrategy(Registration::NONE);
  const auto levels = static_cast<unsigned>(options.shrink_factors.size());
  registration->SetNumberOfLevels(levels);
  Registration::SmoothingSigmasArrayType sigmas(levels);
  const std::array<int64_t, 3> size{fixed_padded.nx(), fixed_padded.ny(), fixed_padded.nz()};
  for (unsigned l = 0; l < levels; ++l) {
    // Per axis, no more shrinking than leaves 4 voxels (see pad_thin_axes).
    Registration::ShrinkFactorsPerDimensionContainerType factors;
    for (unsigned d = 0; d < 3; ++d)
      factors[d] = static_cast<unsigned>(
          std::max<int64_t>(1, std::min<int64_t>(options.shrink_factors[l], size[d] / kMinimumAxis)));
    registration->SetShrinkFactorsPerDimension(l, factors);
    sigmas[l] = options.smoothing_sigmas[l];
  }
  registration->SetSmoothingSigmasPerLevel(sigmas);
  registration->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(false);
  registration->Update();

  const Eigen::Matrix4d motion_ras = kFlip * matrix_of(registration->GetOutput()->Get()) * kFlip;
  return rigid_params_from_matrix(motion_ras, centre);
}

}  // namespace axon::motion
