#include "axon/motion/register_rigid.hpp"

#include <itkCorrelationImageToImageMetricv4.h>
#include <itkEuler3DTransform.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkMeanSquaresImageToImageMetricv4.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>

#include <Eigen/Dense>

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

  auto fixed_itk = itk_view(fixed);
  auto moving_itk = itk_view(moving);
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
  Registration::ShrinkFactorsArrayType shrink(levels);
  Registration::SmoothingSigmasArrayType sigmas(levels);
  for (unsigned l = 0; l < levels; ++l) {
    shrink[l] = options.shrink_factors[l];
    sigmas[l] = options.smoothing_sigmas[l];
  }
  registration->SetShrinkFactorsPerLevel(shrink);
  registration->SetSmoothingSigmasPerLevel(sigmas);
  registration->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(false);
  registration->Update();

  const Eigen::Matrix4d motion_ras = kFlip * matrix_of(registration->GetOutput()->Get()) * kFlip;
  return rigid_params_from_matrix(motion_ras, centre);
}

}  // namespace axon::motion
