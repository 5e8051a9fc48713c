#include "axon/register/syn_stage.hpp"

#include <itkANTSNeighborhoodCorrelationImageToImageMetricv4.h>
#include <itkAffineTransform.h>
#include <itkCommand.h>
#include <itkDisplacementFieldTransform.h>
#include <itkDisplacementFieldTransformParametersAdaptor.h>
#include <itkGaussianOperator.h>
#include <itkNearestNeighborInterpolateImageFunction.h>
#include <itkResampleImageFilter.h>
#include <itkShrinkImageFilter.h>
#include <itkSyNImageRegistrationMethod.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "axon/core/error.hpp"
#include "axon/register/displacement_field.hpp"
#include "axon/register/itk_parallel.hpp"
#include "axon/register/neighbourhood_correlation.hpp"
#include "axon/register/coarse_grid.hpp"

namespace axon::registration {
namespace {

using FieldTransform = itk::DisplacementFieldTransform<double, 3>;
using CorrelationBase = itk::ANTSNeighborhoodCorrelationImageToImageMetricv4<Volume, Volume, Volume, double>;

// The work units of the metric: a constant, so that its per-unit partial
// sums (the metric value, which decides convergence) are the same for any
// number of threads; the pool runs them on however many threads there are.
constexpr unsigned kWorkUnits = 8;

// ITK's SyN (with DownsampleImagesForMetricDerivatives, its default)
// resamples both images onto the level's grid and then evaluates the metric
// through an identity displacement field: every point the metric looks at
// is a voxel centre of that grid and maps to itself. ITK still interpolates
// the (zero) field and both images at each point, and the neighbourhood
// correlation looks at each voxel (2r+1)^2 times per evaluation. This
// transform returns the point as it is, and the metric below uses it (and
// nearest-neighbour lookups, exact at voxel centres) in place of a zero
// field: the same values (bit for bit on the tests' case), about a fifth
// less CPU time for the whole of SyN.
class IdentityFieldTransform : public FieldTransform {
 public:
  using Self = IdentityFieldTransform;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  OutputPointType TransformPoint(const InputPointType& point) const override { return point; }
};

bool is_zero(const ItkField* field) {
  const auto* v = field->GetBufferPointer();
  const std::size_t n = field->GetBufferedRegion().GetNumberOfPixels();
  for (std::size_t i = 0; i < n; ++i)
    if (v[i][0] != 0 || v[i][1] != 0 || v[i][2] != 0) return false;
  return true;
}

// A zero-field transform replaced by IdentityFieldTransform on the same
// field (so the metric's checks of the field's grid still hold); anything
// else (the composite transforms the base class sets per level, never
// evaluated: SyN swaps in its identity field before every evaluation)
// unchanged. `keep` holds the new transform until the metric holds it.
template <class T>
T* identity_if_zero(T* transform, std::vector<itk::LightObject::Pointer>& keep) {
  auto* field = dynamic_cast<FieldTransform*>(transform);
  if (!field || dynamic_cast<IdentityFieldTransform*>(transform) || !field->GetDisplacementField() ||
      !is_zero(field->GetDisplacementField()))
    return transform;
  auto identity = IdentityFieldTransform::New();
  identity->SetDisplacementField(field->GetModifiableDisplacementField());
  keep.push_back(identity.GetPointer());
  if (keep.size() > 4) keep.erase(keep.begin());
  return identity.GetPointer();
}

// The neighbourhood correlation in a fixed number of work units (its
// per-unit sums, the metric value that decides convergence, are added in
// unit order, so they do not depend on the number of threads; the pool runs
// the units on however many threads there are), with the identity shortcut.
class FastCorrelation : public CorrelationBase {
 public:
  using Self = FastCorrelation;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  void SetMovingTransform(MovingTransformType* transform) override {
    CorrelationBase::SetMovingTransform(identity_if_zero(transform, keep_));
  }
  void SetFixedTransform(FixedTransformType* transform) override {
    CorrelationBase::SetFixedTransform(identity_if_zero(transform, keep_));
  }

 protected:
  FastCorrelation() {
    this->m_DenseGetValueAndDerivativeThreader->SetNumberOfWorkUnits(kWorkUnits);
    this->m_SparseGetValueAndDerivativeThreader->SetNumberOfWorkUnits(kWorkUnits);
    this->SetFixedInterpolator(itk::NearestNeighborInterpolateImageFunction<Volume, double>::New());
    this->SetMovingInterpolator(itk::NearestNeighborInterpolateImageFunction<Volume, double>::New());
  }

 private:
  std::vector<itk::LightObject::Pointer> keep_;
};

using SyNBase = itk::SyNImageRegistrationMethod<Volume, Volume, FieldTransform, Volume>;

// ITK's SyN with its Gaussian smoothing of the fields done here: the same
// kernel (itk::GaussianOperator: the variance in voxels, maximum error
// 0.001, at most the field's width), the same zero-flux Neumann boundary,
// the same rule afterwards (the boundary voxels held at zero, a mix with
// the unsmoothed field below variance 0.5), but as a plain separable
// convolution over ITK's pool (itk_parallel.hpp) instead of ITK's neighbourhood-iterator
// filter, which took a quarter of SyN's time (the same fields, bit for bit,
// on the tests' case). Every output voxel is one fixed sum: the result does
// not depend on the thread count.
//
// Unmasked, it also computes the metric's gradient itself
// (neighbourhood_correlation: ITK's formulas from separable window sums, on
// the two images resampled onto the level's grid exactly as ITK resamples
// them), which halves SyN's time; with masks, ITK's metric runs.
class SyN : public SyNBase {
 public:
  using Self = SyN;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  // The correlation radius (voxels) of the fast path; 0 leaves ITK's metric.
  void SetFastCorrelationRadius(unsigned radius) { radius_ = radius; }

 protected:
  DisplacementFieldPointer ComputeMetricGradientField(
      const FixedImagesContainerType fixed_images, const PointSetsContainerType fixed_points,
      const TransformBaseType* fixed_transform, const MovingImagesContainerType moving_images,
      const PointSetsContainerType moving_points, const TransformBaseType* moving_transform,
      const FixedImageMasksContainerType fixed_masks, const MovingImageMasksContainerType moving_masks,
      MeasureType& value) override {
    const bool masked = (!fixed_masks.empty() && fixed_masks[0]) || (!moving_masks.empty() && moving_masks[0]);
    if (radius_ == 0 || masked || !this->m_DownsampleImagesForMetricDerivatives || fixed_images.size() != 1)
      return SyNBase::ComputeMetricGradientField(fixed_images, fixed_points, fixed_transform, moving_images,
                                                 moving_points, moving_transform, fixed_masks, moving_masks, value);
    const auto domain = this->GetCurrentLevelVirtualDomainImage();
    // As ITK's SyN resamples (linear, 0 outside), onto the level's grid.
    // Each iteration asks for the same two images through the same two
    // composite transforms twice (roles swapped): the second time they come
    // from the cache. ITK makes new composites every iteration, and the
    // cache holds the ones it keys on, so a key is never a reused address.
    const auto on_domain = [&](const Volume* image, const TransformBaseType* transform) {
      for (const Resampled& r : cache_)
        if (r.image == image && r.transform.GetPointer() == transform && r.domain == domain.GetPointer()) return r.out;
      using Resampler = itk::ResampleImageFilter<Volume, Volume, RealType>;
      auto resampler = Resampler::New();
      resampler->SetInput(image);
      resampler->SetTransform(transform);
      resampler->UseReferenceImageOn();
      resampler->SetReferenceImage(domain);
      resampler->SetDefaultPixelValue(0);
      resampler->Update();
      Volume::Pointer out = resampler->GetOutput();
      out->DisconnectPipeline();
      cache_[next_slot_] = {image, transform, domain.GetPointer(), out};
      next_slot_ = (next_slot_ + 1) % cache_.size();
      return out;
    };
    const Volume::Pointer fixed = on_domain(fixed_images[0].GetPointer(), fixed_transform);
    const Volume::Pointer moving = on_domain(moving_images[0].GetPointer(), moving_transform);
    // The second call of an iteration (roles swapped) was computed with the
    // first, from the same window sums (neighbourhood_correlation_both).
    CorrelationGradient result;
    if (swapped_.gradient && swapped_fixed_ == fixed && swapped_moving_ == moving) {
      result = swapped_;
    } else {
      CorrelationPair both = neighbourhood_correlation_both(fixed, moving, radius_);
      result = both.forward;
      swapped_ = both.swapped;
      swapped_fixed_ = moving, swapped_moving_ = fixed;
    }
    if (result.gradient == swapped_.gradient) swapped_ = {}, swapped_fixed_ = swapped_moving_ = nullptr;
    value = result.value;
    if (!this->m_OptimizerWeightsAreIdentity && this->m_OptimizerWeights.Size() == 3) {
      auto* v = result.gradient->GetBufferPointer();
      const std::size_t voxels = result.gradient->GetLargestPossibleRegion().GetNumberOfPixels();
      for (std::size_t i = 0; i < voxels; ++i)
        for (unsigned d = 0; d < 3; ++d) v[i][d] *= this->m_OptimizerWeights[d];
    }
    return result.gradient;
  }

  DisplacementFieldPointer GaussianSmoothDisplacementField(const DisplacementFieldType* field,
                                                           const RealType variance) override {
    const auto region = field->GetLargestPossibleRegion();
    const auto size = region.GetSize();
    const std::array<int64_t, 3> n{static_cast<int64_t>(size[0]), static_cast<int64_t>(size[1]),
                                   static_cast<int64_t>(size[2])};
    const std::size_t voxels = region.GetNumberOfPixels();
    auto out = DisplacementFieldType::New();
    out->CopyInformation(field);
    out->SetRegions(region);
    out->Allocate();
    using Vector = DisplacementFieldType::PixelType;
    const Vector* input = field->GetBufferPointer();
    Vector* result = out->GetBufferPointer();
    std::copy(input, input + voxels, result);
    if (variance <= 0) return out;
    std::vector<Vector> scratch(voxels);
    const std::array<int64_t, 3> stride{1, n[0], n[0] * n[1]};
    for (int d = 0; d < 3; ++d) {
      itk::GaussianOperator<RealType, 3> op;
      op.SetDirection(d);
      op.SetVariance(variance);
      op.SetMaximumError(0.001);
      op.SetMaximumKernelWidth(static_cast<unsigned>(n[d]));
      op.CreateDirectional();
      // The coefficients along axis d, centred on index `radius`.
      const int64_t radius = static_cast<int64_t>(op.GetRadius()[d]);
      std::vector<RealType> kernel(static_cast<std::size_t>(2 * radius + 1));
      for (int64_t k = -radius; k <= radius; ++k)
        kernel[static_cast<std::size_t>(k + radius)] = op.GetElement(static_cast<std::size_t>(op.GetCenterNeighborhoodIndex() + k * static_cast<int64_t>(op.GetStride(d))));
      std::copy(result, result + voxels, scratch.begin());
      itk_parallel_for(n[2], [&](int64_t z) {
        for (int64_t y = 0; y < n[1]; ++y)
          for (int64_t x = 0; x < n[0]; ++x) {
            const std::array<int64_t, 3> at{x, y, z};
            const int64_t base = x + n[0] * (y + n[1] * z) - at[d] * stride[d];
            Vector sum(0.0);
            for (int64_t k = -radius; k <= radius; ++k) {
              const int64_t i = std::clamp<int64_t>(at[d] + k, 0, n[d] - 1);  // zero-flux Neumann
              sum += scratch[static_cast<std::size_t>(base + i * stride[d])] * kernel[static_cast<std::size_t>(k + radius)];
            }
            result[x + n[0] * (y + n[1] * z)] = sum;
          }
      });
    }
    // The boundary does not move; small variances mix in the unsmoothed field.
    const RealType smooth_weight = variance < 0.5 ? 1.0 - variance / 0.5 : 1.0;
    const RealType raw_weight = 1.0 - smooth_weight;
    itk_parallel_for(n[2], [&](int64_t z) {
      for (int64_t y = 0; y < n[1]; ++y)
        for (int64_t x = 0; x < n[0]; ++x) {
          const std::size_t i = static_cast<std::size_t>(x + n[0] * (y + n[1] * z));
          const bool boundary = x == 0 || y == 0 || z == 0 || x == n[0] - 1 || y == n[1] - 1 || z == n[2] - 1;
          result[i] = boundary ? Vector(0.0) : result[i] * smooth_weight + input[i] * raw_weight;
        }
    });
    return out;
  }

 private:
  unsigned radius_ = 0;
  struct Resampled {
    const Volume* image = nullptr;
    typename TransformBaseType::ConstPointer transform;
    const void* domain = nullptr;
    Volume::Pointer out;
  };
  std::array<Resampled, 2> cache_;
  std::size_t next_slot_ = 0;
  // The swapped direction's result, for the resampled images it belongs to
  // (held, so their addresses cannot be reused by other images meanwhile).
  CorrelationGradient swapped_;
  Volume::Pointer swapped_fixed_, swapped_moving_;
};

// Iterations actually run per level (SyN stops a level early on convergence).
class IterationCounter : public itk::Command {
 public:
  using Self = IterationCounter;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  void Execute(itk::Object* caller, const itk::EventObject& event) override {
    Execute(static_cast<const itk::Object*>(caller), event);
  }
  void Execute(const itk::Object* caller, const itk::EventObject& event) override {
    const auto* method = dynamic_cast<const SyN*>(caller);
    if (!method || !itk::IterationEvent().CheckEvent(&event)) return;
    const std::size_t level = method->GetCurrentLevel();
    if (iterations.size() <= level) iterations.resize(level + 1, 0);
    ++iterations[level];
    value = method->GetCurrentMetricValue();
  }
  std::vector<unsigned> iterations;
  double value = 0;
};

}  // namespace

// Room around FIXED's content for SyN's field to move the moving image in
// (the field is held at zero on its grid's boundary).
constexpr double kContentMarginMm = 10;

SynFields run_syn_stage(const ImagePair& full, const ImageHeader& fixed_header, const RegistrationOptions& options,
                        const LinearTransform& linear, StageReport& report) {
  const auto start = std::chrono::steady_clock::now();
  // SyN's own grid (coarse_grid.hpp): both images no finer than
  // grid_spacing_mm; the masks are spatial objects, the same on any grid.
  // Its virtual domain is FIXED's content (non-zero voxels) with a margin.
  ImagePair images = full;
  images.fixed = cropped_to_content(full.coarse_fixed, full.fixed, kContentMarginMm);
  images.moving = full.coarse_moving;
  const bool on_coarse_grid = images.fixed != full.fixed;
  // The levels of the fixed grid, each kept at its physical resolution on
  // SyN's grid (those finer than it left out).
  std::vector<Level> levels =
      options.syn_levels.empty() ? default_syn_levels(grid_of_itk(full.fixed), options.syn_iterations) : options.syn_levels;
  const auto spacing = images.fixed->GetSpacing();
  if (on_coarse_grid) {
    const unsigned finest_iterations = levels.back().iterations;
    levels = split_levels(levels, coarsening_factor(full.fixed, images.fixed)).coarse;
    // A cropped grid may be too small for the coarsest levels: the
    // schedule's rule.
    const auto size = images.fixed->GetLargestPossibleRegion().GetSize();
    const auto shortest = static_cast<int64_t>(std::min({size[0], size[1], size[2]}));
    levels.erase(std::remove_if(levels.begin(), levels.end(),
                                [&](const Level& l) { return !level_fits(shortest, l.shrink); }),
                 levels.end());
    if (levels.empty()) levels.push_back({1, 0, finest_iterations});
  }
  const double min_spacing = std::min({spacing[0], spacing[1], spacing[2]});
  const unsigned radius = std::max(1u, static_cast<unsigned>(std::lround(options.cc_radius_mm / min_spacing)));
  report.stage = "syn";
  report.levels = describe_levels(levels);
  char grid[192];
  const auto domain_size = images.fixed->GetLargestPossibleRegion().GetSize();
  std::snprintf(grid, sizeof grid, "on a %gx%gx%g mm grid of %lux%lux%lu voxels%s, ", spacing[0], spacing[1],
                spacing[2], static_cast<unsigned long>(domain_size[0]), static_cast<unsigned long>(domain_size[1]),
                static_cast<unsigned long>(domain_size[2]),
                on_coarse_grid ? " (FIXED's content; fields interpolated onto FIXED's grid)" : "");
  report.method = "itk::SyNImageRegistrationMethod " + std::string(grid) +
                  "ANTs neighbourhood cross-correlation (radius " +
                  std::to_string(radius) + " voxels), gradient step " + std::to_string(options.syn_gradient_step) +
                  ", update/total field variance " + std::to_string(options.update_field_variance) + "/" +
                  std::to_string(options.total_field_variance) + " voxels^2";

  auto initial = itk::AffineTransform<double, 3>::New();
  {
    itk::Point<double, 3> centre;
    itk::Matrix<double, 3, 3> matrix;
    itk::Vector<double, 3> offset;
    for (int r = 0; r < 3; ++r) {
      centre[r] = linear.centre[r];
      for (int c = 0; c < 3; ++c) matrix[r][c] = linear.matrix(r, c);
      offset[r] = linear.matrix(r, 3);
    }
    initial->SetCenter(centre);
    initial->SetMatrix(matrix);
    initial->SetOffset(offset);
  }

  auto metric = FastCorrelation::New();
  CorrelationBase::RadiusType r;
  r.Fill(radius);
  metric->SetRadius(r);
  metric->SetUseMovingImageGradientFilter(false);
  metric->SetUseFixedImageGradientFilter(false);
  if (images.fixed_mask) metric->SetFixedImageMask(images.fixed_mask);
  if (images.moving_mask) metric->SetMovingImageMask(images.moving_mask);

  auto syn = SyN::New();
  syn->SetFastCorrelationRadius(radius);
  syn->SetFixedImage(images.fixed);
  syn->SetMovingImage(images.moving);
  syn->SetMovingInitialTransform(initial);
  syn->SetMetric(metric);
  // The output transform starts as a zero field on the fixed grid (as ANTs
  // does): the parameter adaptors of every level, the first included,
  // resample the field the transform holds.
  {
    auto output = FieldTransform::New();
    output->SetDisplacementField(zero_itk_field(images.fixed));
    output->SetInverseDisplacementField(zero_itk_field(images.fixed));
    syn->SetInitialTransform(output);
    syn->InPlaceOn();
  }

  const std::size_t n = levels.size();
  SyN::ShrinkFactorsArrayType shrink(n);
  SyN::SmoothingSigmasArrayType sigmas(n);
  SyN::NumberOfIterationsArrayType iterations(n);
  SyN::TransformParametersAdaptorsContainerType adaptors;
  for (std::size_t l = 0; l < n; ++l) {
    shrink[l] = levels[l].shrink;
    sigmas[l] = levels[l].smoothing;
    iterations[l] = levels[l].iterations;
    // The field of level l lives on the fixed grid shrunk as the method
    // shrinks its virtual domain.
    using Shrinker = itk::ShrinkImageFilter<Volume, Volume>;
    auto shrinker = Shrinker::New();
    shrinker->SetShrinkFactors(levels[l].shrink);
    shrinker->SetInput(images.fixed);
    shrinker->UpdateOutputInformation();
    const Volume* shrunk = shrinker->GetOutput();
    using Adaptor = itk::DisplacementFieldTransformParametersAdaptor<FieldTransform>;
    auto adaptor = Adaptor::New();
    adaptor->SetRequiredSpacing(shrunk->GetSpacing());
    adaptor->SetRequiredSize(shrunk->GetLargestPossibleRegion().GetSize());
    adaptor->SetRequiredDirection(shrunk->GetDirection());
    adaptor->SetRequiredOrigin(shrunk->GetOrigin());
    adaptors.push_back(adaptor.GetPointer());
  }
  syn->SetNumberOfLevels(n);
  syn->SetShrinkFactorsPerLevel(shrink);
  syn->SetSmoothingSigmasPerLevel(sigmas);
  syn->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(false);
  syn->SetNumberOfIterationsPerLevel(iterations);
  syn->SetTransformParametersAdaptorsPerLevel(adaptors);
  syn->SetLearningRate(options.syn_gradient_step);
  syn->SetConvergenceThreshold(1e-6);
  syn->SetConvergenceWindowSize(10);
  syn->SetGaussianSmoothingVarianceForTheUpdateField(options.update_field_variance);
  syn->SetGaussianSmoothingVarianceForTheTotalField(options.total_field_variance);
  syn->SetMetricSamplingStrategy(SyN::MetricSamplingStrategyEnum::NONE);
  // FastCorrelation's shortcut (identity, nearest-neighbour lookups) is
  // exact only on images resampled onto the level's grid: ITK's default.
  syn->SetDownsampleImagesForMetricDerivatives(true);

  auto counter = IterationCounter::New();
  syn->AddObserver(itk::IterationEvent(), counter);
  try {
    syn->Update();
  } catch (const itk::ExceptionObject& e) {
    throw_registration_failure("SyN", e);
  }
  const FieldTransform* result = syn->GetOutput()->Get();
  const auto on_fixed_grid = [&](const ItkField* field) {
    return on_coarse_grid ? from_itk_field(field_on_grid(field, full.fixed), fixed_header)
                          : from_itk_field(field, fixed_header);
  };
  SynFields out;
  out.forward = on_fixed_grid(result->GetDisplacementField());
  out.inverse = on_fixed_grid(result->GetInverseDisplacementField());
  report.iterations = counter->iterations;
  report.iterations.resize(n, 0);
  report.metric_value = counter->value;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace axon::registration
