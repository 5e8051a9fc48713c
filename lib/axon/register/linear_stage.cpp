#include "axon/register/linear_stage.hpp"

#include <itkAffineTransform.h>
#include <itkCommand.h>
#include <itkConjugateGradientLineSearchOptimizerv4.h>
#include <itkCorrelationImageToImageMetricv4.h>
#include <itkEuler3DTransform.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkMattesMutualInformationImageToImageMetricv4.h>
#include <itkMeanSquaresImageToImageMetricv4.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <type_traits>

#include "axon/core/error.hpp"
#include "axon/register/coarse_grid.hpp"

namespace axon::registration {
namespace {

using MetricBase = itk::ImageToImageMetricv4<Volume, Volume, Volume, double>;
using Optimizer = itk::ConjugateGradientLineSearchOptimizerv4Template<double>;

// A v4 metric whose threaders each get exactly one work unit, whatever
// ITK's global thread count (see linear_stage.hpp; the same device as
// lib/axon/motion/register_rigid.cpp).
template <class Metric>
class SerialMetric : public Metric {
 public:
  using Self = SerialMetric;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);

 protected:
  SerialMetric() {
    this->m_DenseGetValueAndDerivativeThreader->SetNumberOfWorkUnits(1);
    this->m_SparseGetValueAndDerivativeThreader->SetNumberOfWorkUnits(1);
    if constexpr (std::is_same_v<Metric, itk::CorrelationImageToImageMetricv4<Volume, Volume, Volume, double>>) {
      this->m_HelperDenseThreader->SetNumberOfWorkUnits(1);
      this->m_HelperSparseThreader->SetNumberOfWorkUnits(1);
    }
  }
};

MetricBase::Pointer make_metric(const RegistrationOptions& options) {
  switch (options.metric) {
    case Metric::mattes: {
      auto m = SerialMetric<itk::MattesMutualInformationImageToImageMetricv4<Volume, Volume, Volume, double>>::New();
      m->SetNumberOfHistogramBins(options.histogram_bins);
      return m.GetPointer();
    }
    case Metric::correlation:
      return SerialMetric<itk::CorrelationImageToImageMetricv4<Volume, Volume, Volume, double>>::New().GetPointer();
    default:
      return SerialMetric<itk::MeanSquaresImageToImageMetricv4<Volume, Volume, Volume, double>>::New().GetPointer();
  }
}

// Per level: the iteration cap and the largest step (half a voxel of the
// shrunk grid), set when the registration method starts the level.
class LevelObserver : public itk::Command {
 public:
  using Self = LevelObserver;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  void Setup(Optimizer* optimizer, const std::vector<Level>* levels, double spacing) {
    optimizer_ = optimizer, levels_ = levels, spacing_ = spacing;
  }
  void Execute(itk::Object* caller, const itk::EventObject& event) override {
    Execute(static_cast<const itk::Object*>(caller), event);
  }
  void Execute(const itk::Object*, const itk::EventObject& event) override {
    if (!itk::MultiResolutionIterationEvent().CheckEvent(&event)) return;
    if (level_ > 0) iterations.push_back(static_cast<unsigned>(optimizer_->GetCurrentIteration()));
    const Level& l = (*levels_)[std::min<std::size_t>(level_, levels_->size() - 1)];
    optimizer_->SetNumberOfIterations(l.iterations);
    optimizer_->SetMaximumStepSizeInPhysicalUnits(0.5 * spacing_ * l.shrink);
    ++level_;
  }
  std::vector<unsigned> iterations;

 private:
  Optimizer* optimizer_ = nullptr;
  const std::vector<Level>* levels_ = nullptr;
  double spacing_ = 1;
  std::size_t level_ = 0;
};

template <class Transform>
void optimise(Transform* transform, const ImagePair& images, const RegistrationOptions& options,
              const std::vector<Level>& levels, StageReport& report) {
  using Method = itk::ImageRegistrationMethodv4<Volume, Volume, Transform, Volume>;
  auto method = Method::New();
  method->SetFixedImage(images.fixed);
  method->SetMovingImage(images.moving);
  method->SetInitialTransform(transform);
  method->InPlaceOn();

  auto metric = make_metric(options);
  if (images.fixed_mask) metric->SetFixedImageMask(images.fixed_mask);
  if (images.moving_mask) metric->SetMovingImageMask(images.moving_mask);
  method->SetMetric(metric);

  auto scales = itk::RegistrationParameterScalesFromPhysicalShift<MetricBase>::New();
  scales->SetMetric(metric);
  auto optimizer = Optimizer::New();
  optimizer->SetNumberOfWorkUnits(1);
  optimizer->SetLowerLimit(0);
  optimizer->SetUpperLimit(2);
  optimizer->SetEpsilon(0.2);
  optimizer->SetMaximumLineSearchIterations(20);
  optimizer->SetLearningRate(1);
  optimizer->SetScalesEstimator(scales);
  optimizer->SetDoEstimateScales(true);
  optimizer->SetDoEstimateLearningRateAtEachIteration(true);
  optimizer->SetDoEstimateLearningRateOnce(false);
  optimizer->SetMinimumConvergenceValue(1e-6);
  optimizer->SetConvergenceWindowSize(10);
  optimizer->SetReturnBestParametersAndValue(true);
  method->SetOptimizer(optimizer);

  const std::size_t n = levels.size();
  typename Method::ShrinkFactorsArrayType shrink(n);
  typename Method::SmoothingSigmasArrayType sigmas(n);
  typename Method::MetricSamplingPercentageArrayType percentages(n);
  const auto size = images.fixed->GetLargestPossibleRegion().GetSize();
  const double voxels = static_cast<double>(size[0]) * size[1] * size[2];
  for (std::size_t l = 0; l < n; ++l) {
    shrink[l] = levels[l].shrink;
    sigmas[l] = levels[l].smoothing;
    const double level_voxels = voxels / std::pow(static_cast<double>(levels[l].shrink), 3);
    percentages[l] = std::clamp(std::min(options.sampling_fraction, static_cast<double>(options.max_samples) / level_voxels),
                                1e-3, 1.0);
  }
  method->SetNumberOfLevels(n);
  method->SetShrinkFactorsPerLevel(shrink);
  method->SetSmoothingSigmasPerLevel(sigmas);
  method->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(false);
  method->SetMetricSamplingStrategy(Method::MetricSamplingStrategyEnum::REGULAR);
  method->SetMetricSamplingPercentagePerLevel(percentages);
  method->MetricSamplingReinitializeSeed(static_cast<int>(options.seed % 2147483647u));

  const auto spacing = images.fixed->GetSpacing();
  auto observer = LevelObserver::New();
  observer->Setup(optimizer, &levels, std::min({spacing[0], spacing[1], spacing[2]}));
  method->AddObserver(itk::MultiResolutionIterationEvent(), observer);
  try {
    method->Update();
  } catch (const itk::ExceptionObject& e) {
    throw_registration_failure(report.stage, e);
  }
  observer->iterations.push_back(static_cast<unsigned>(optimizer->GetCurrentIteration()));
  report.iterations = observer->iterations;
  report.metric_value = optimizer->GetValue();
}

// The levels at or coarser than grid_spacing_mm on the images brought to
// that spacing (coarse_grid.hpp), then the finer ones on the full images,
// the transform carried from one to the other. Before a SyN stage the finer
// levels are left out: SyN works on the coarse grid too, and what they
// would refine it absorbs.
template <class Transform>
void optimise_levels(Transform* transform, const ImagePair& images, const RegistrationOptions& options,
                     const std::vector<Level>& levels, StageReport& report) {
  ImagePair coarse = images;
  coarse.fixed = images.coarse_fixed, coarse.moving = images.coarse_moving;
  SplitLevels split = coarse.fixed == images.fixed
                          ? SplitLevels{{}, levels}
                          : split_levels(levels, coarsening_factor(images.fixed, coarse.fixed));
  if (!split.coarse.empty() && options.stages.back() == Stage::syn && !split.fine.empty()) {
    // The levels that ran, in the fixed grid's terms (the fine ones are last).
    report.levels = describe_levels({levels.begin(), levels.end() - static_cast<std::ptrdiff_t>(split.fine.size())});
    split.fine.clear();
  }
  std::vector<unsigned> iterations;
  if (!split.coarse.empty()) {
    optimise(transform, coarse, options, split.coarse, report);
    iterations = report.iterations;
  }
  if (!split.fine.empty()) {
    optimise(transform, images, options, split.fine, report);
    iterations.insert(iterations.end(), report.iterations.begin(), report.iterations.end());
  }
  report.iterations = iterations;
  if (!split.coarse.empty()) {
    char note[160];
    std::snprintf(note, sizeof note, "; levels of %g mm and coarser on the images resampled to that spacing%s",
                  options.grid_spacing_mm, split.fine.empty() ? ", finer levels left out (SyN follows)" : "");
    report.method += note;
  }
}

}  // namespace

LinearTransform run_linear_stage(Stage stage, const ImagePair& images, const RegistrationOptions& options,
                                 const LinearTransform& initial, StageReport& report) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Level> levels =
      options.linear_levels.empty() ? default_linear_levels(grid_of_itk(images.fixed), options.linear_iterations)
                                   : options.linear_levels;
  report.stage = stage_name(stage);
  report.levels = describe_levels(levels);
  report.method = std::string(stage == Stage::rigid ? "itk::Euler3DTransform" : "itk::AffineTransform") + ", " +
                  metric_name(options.metric) + ", conjugate gradient with line search, physical-shift scales";

  itk::Point<double, 3> centre;
  itk::Matrix<double, 3, 3> matrix;
  itk::Vector<double, 3> offset;
  for (int r = 0; r < 3; ++r) {
    centre[r] = initial.centre[r];
    for (int c = 0; c < 3; ++c) matrix[r][c] = initial.matrix(r, c);
    offset[r] = initial.matrix(r, 3);
  }
  LinearTransform out;
  out.centre = initial.centre;
  const auto read_back = [&](const auto* t) {
    for (int r = 0; r < 3; ++r) {
      for (int c = 0; c < 3; ++c) out.matrix(r, c) = t->GetMatrix()[r][c];
      out.matrix(r, 3) = t->GetOffset()[r];
    }
  };
  if (stage == Stage::rigid) {
    auto t = itk::Euler3DTransform<double>::New();
    t->SetCenter(centre);
    // The nearest rotation to the initial matrix (the identity after a
    // translation-only initialisation).
    Eigen::Matrix3d a = initial.matrix.topLeftCorner<3, 3>();
    Eigen::JacobiSVD<Eigen::Matrix3d> svd(a, Eigen::ComputeFullU | Eigen::ComputeFullV);
    Eigen::Matrix3d r = svd.matrixU() * svd.matrixV().transpose();
    if (r.determinant() < 0) r = Eigen::Matrix3d::Identity();
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) matrix[i][j] = r(i, j);
    t->SetMatrix(matrix, 1e-6);
    t->SetOffset(offset);
    optimise_levels(t.GetPointer(), images, options, levels, report);
    read_back(t.GetPointer());
  } else {
    auto t = itk::AffineTransform<double, 3>::New();
    t->SetCenter(centre);
    t->SetMatrix(matrix);
    t->SetOffset(offset);
    optimise_levels(t.GetPointer(), images, options, levels, report);
    read_back(t.GetPointer());
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace axon::registration
