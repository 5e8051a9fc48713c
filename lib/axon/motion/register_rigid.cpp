#include "axon/motion/register_rigid.hpp"

#include <itkBSplineInterpolateImageFunction.h>
#include <itkCorrelationImageToImageMetricv4.h>
#include <itkEuler3DTransform.h>
#include <itkMeanSquaresImageToImageMetricv4.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>
#include <itkSmoothingRecursiveGaussianImageFilter.h>

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <type_traits>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/itk_bridge.hpp"

namespace axon::motion {
namespace {
using Volume = ItkVolume<float>;
using Transform = itk::Euler3DTransform<double>;
using MetricBase = itk::ImageToImageMetricv4<Volume, Volume, Volume, double>;
using PointSet = MetricBase::FixedSampledPointSetType;

const Eigen::Matrix4d kFlip = Eigen::Vector4d(-1, -1, 1, 1).asDiagonal();  // RAS <-> LPS

Eigen::Matrix4d matrix_of(const Transform* t) {
  Eigen::Matrix4d m = Eigen::Matrix4d::Identity();
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) m(r, c) = t->GetMatrix()[r][c];
    m(r, 3) = t->GetOffset()[r];
  }
  return m;
}

// ITK's recursive Gaussian smoothing needs at least 4 voxels along every
// axis, which a thin slab (nipy's functional.nii.gz has 3 slices) lacks:
// such an axis is padded on both sides by repeating its edge slices, with
// the affine shifted so that every original voxel keeps its world position
// (the motion is found in world coordinates, so the padding does not change
// its meaning). Sample points are only taken from the original voxels.
constexpr int64_t kMinimumAxis = 4;

struct Padding {
  std::array<int64_t, 3> before{0, 0, 0};
};

Image<float> pad_thin_axes(const Image<float>& v, Padding& padding) {
  const std::array<int64_t, 3> n{v.nx(), v.ny(), v.nz()};
  std::array<int64_t, 3> size = n;
  auto& before = padding.before;
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

// A Gaussian-smoothed copy (sigma in voxels of each axis; 0 = a copy) as
// an ITK image that owns its buffer.
Volume::Pointer smoothed(const Image<float>& padded, double sigma_voxels) {
  auto view = itk_view(padded);
  if (sigma_voxels <= 0) {
    auto copy = Volume::New();
    copy->CopyInformation(view);
    copy->SetRegions(view->GetLargestPossibleRegion());
    copy->Allocate();
    std::copy(padded.data.begin(), padded.data.end(), copy->GetBufferPointer());
    return copy;
  }
  using Filter = itk::SmoothingRecursiveGaussianImageFilter<Volume, Volume>;
  auto filter = Filter::New();
  filter->SetNumberOfWorkUnits(1);
  filter->SetInput(view);
  Filter::SigmaArrayType sigma;
  for (unsigned d = 0; d < 3; ++d) sigma[d] = sigma_voxels * view->GetSpacing()[d];
  filter->SetSigmaArray(sigma);
  filter->Update();
  Volume::Pointer out = filter->GetOutput();
  out->DisconnectPipeline();
  return out;
}

// The moving image's gradient for the metric, taken from the same cubic
// B-spline that interpolates its values: the derivative the optimiser sees
// is then exactly that of the cost it evaluates (ITK's default, a
// Gaussian-smoothed gradient image, is not; a quasi-Newton line search fails on
// the mismatch and gradient descent stops off the minimum).
//
// The metric asks for the value and then for the gradient at the same
// point; the spline computes both in one sweep over its 64 coefficients
// and keeps the gradient for the second call. The ThreadId forms use the
// interpolator's preallocated scratch instead of allocating on every call
// (each registration owns its interpolator and runs on one thread).
using SplineBase = itk::BSplineInterpolateImageFunction<Volume, double, double>;
class CachedSpline : public SplineBase {
 public:
  using Self = CachedSpline;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  OutputType EvaluateAtContinuousIndex(const ContinuousIndexType& x) const override {
    OutputType value;
    EvaluateValueAndDerivativeAtContinuousIndex(x, value, derivative_, 0);
    where_ = x;
    cached_ = true;
    return value;
  }
  CovariantVectorType gradient(const ContinuousIndexType& x) const {
    if (cached_ && x == where_) return derivative_;
    return EvaluateDerivativeAtContinuousIndex(x, itk::ThreadIdType{0});
  }

 private:
  mutable ContinuousIndexType where_;
  mutable CovariantVectorType derivative_;
  mutable bool cached_ = false;
};

class SplineGradient : public itk::ImageFunction<Volume, itk::CovariantVector<double, 3>, double> {
 public:
  using Self = SplineGradient;
  using Superclass = itk::ImageFunction<Volume, itk::CovariantVector<double, 3>, double>;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  void SetSpline(CachedSpline* spline) { spline_ = spline; }
  // The spline already holds the image's coefficients (the metric gives it
  // the moving image as its interpolator).
  void SetInputImage(const Volume* image) override { Superclass::SetInputImage(image); }
  OutputType Evaluate(const PointType& point) const override {
    ContinuousIndexType c;
    GetInputImage()->TransformPhysicalPointToContinuousIndex(point, c);
    return spline_->gradient(c);
  }
  OutputType EvaluateAtIndex(const IndexType& index) const override {
    ContinuousIndexType c;
    for (unsigned d = 0; d < 3; ++d) c[d] = index[d];
    return spline_->gradient(c);
  }
  OutputType EvaluateAtContinuousIndex(const ContinuousIndexType& c) const override { return spline_->gradient(c); }

 private:
  CachedSpline::Pointer spline_;
};

// An ITK v4 metric that evaluates on the calling thread only, whatever ITK's
// global thread count. A registration runs on one thread (the parallelism is
// over volumes) and its CachedSpline is not thread-safe. The metric's
// SetMaximumNumberOfWorkUnits(1) is not enough: it does not reach the two
// helper threaders with which ITK 5.2's correlation metric computes its
// means, and the pool threader ignores a per-threader maximum anyway. With
// ITK's default of one thread per core those helpers called the spline from
// two threads at once and the registration diverged (found when the test
// of register_rigid ran on an idle 2-core machine). So every threader the
// metric owns is given exactly one work unit.
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

MetricBase::Pointer make_metric(RegistrationMetric kind) {
  if (kind == RegistrationMetric::correlation)
    return SerialMetric<itk::CorrelationImageToImageMetricv4<Volume, Volume, Volume, double>>::New().GetPointer();
  return SerialMetric<itk::MeanSquaresImageToImageMetricv4<Volume, Volume, Volume, double>>::New().GetPointer();
}

// BFGS over the six transform parameters, written out here rather than
// taken from vnl (itk::LBFGSOptimizerv4 wraps netlib's L-BFGS, which prints
// to stdout when its line search gives up, and that broke `--json`). It is
// quiet, deterministic (plain sequential arithmetic) and returns the best
// parameters it evaluated, whether or not it met its tolerance.
//
// It works in scaled coordinates u = p * s, where a unit of every u moves
// the sample points by about 1 mm (s = radius for the angles, 1 for the
// translations), so one tolerance in mm serves all six. ITK's v4 metrics
// return the derivative as the descent direction (-dValue/dp).
// Returns the number of metric evaluations.
int64_t minimise_bfgs(MetricBase& metric, Transform& transform, const itk::OptimizerParameters<double>& squared_scales,
                      double initial_step, const RigidRegistrationOptions& options) {
  using Vec = Eigen::Matrix<double, 6, 1>;
  using Mat = Eigen::Matrix<double, 6, 6>;
  Vec scale;
  for (int i = 0; i < 6; ++i) scale[i] = std::sqrt(squared_scales[i]);
  int64_t evaluations = 0;
  // f and its gradient in u at u; false where the metric cannot be
  // evaluated (too few points inside the moving image).
  const auto evaluate = [&](const Vec& u, double& f, Vec& g) {
    if (!u.allFinite()) return false;
    Transform::ParametersType p(6);
    for (int i = 0; i < 6; ++i) p[i] = u[i] / scale[i];
    transform.SetParameters(p);
    MetricBase::DerivativeType derivative(6);
    ++evaluations;
    try {
      metric.GetValueAndDerivative(f, derivative);
    } catch (const itk::ExceptionObject&) {
      return false;
    }
    for (int i = 0; i < 6; ++i) g[i] = -derivative[i] / scale[i];
    return std::isfinite(f) && g.allFinite();
  };
  Vec u;
  {
    const auto p = transform.GetParameters();
    for (int i = 0; i < 6; ++i) u[i] = p[i] * scale[i];
  }
  double f = 0;
  Vec g;
  if (!evaluate(u, f, g)) throw InputError("", "rigid registration: the volumes do not overlap at the start");
  Vec best_u = u;
  double best_f = f;
  // Inverse Hessian: at first a multiple of the identity whose first step
  // is `initial_step` mm long; rescaled after the first step (Nocedal and
  // Wright, eq. 6.20), then BFGS updates.
  Mat h = Mat::Identity() * (initial_step / std::max(g.norm(), 1e-300));
  bool first = true;
  constexpr double kArmijo = 1e-4;
  while (evaluations < options.iterations) {
    Vec d = -h * g;
    double slope = g.dot(d);
    if (!(slope < 0) || !d.allFinite()) {  // not a descent direction: back to steepest descent
      h = Mat::Identity() * (initial_step / std::max(g.norm(), 1e-300));
      d = -h * g;
      slope = g.dot(d);
      if (!(slope < 0)) break;  // zero gradient: at a stationary point
    }
    // Backtracking line search on the sufficient-decrease condition, with
    // the minimum of the quadratic through f, the slope and the trial.
    double alpha = 1, f_new = 0;
    Vec g_new;
    bool accepted = false;
    for (int trial = 0; trial < 12 && evaluations < options.iterations; ++trial) {
      const bool ok = evaluate(u + alpha * d, f_new, g_new);
      if (ok && f_new < best_f) best_f = f_new, best_u = u + alpha * d;
      if (ok && f_new <= f + kArmijo * alpha * slope) {
        accepted = true;
        break;
      }
      // (A flat or non-convex trial gives no usable minimum: halve.)
      const double curvature = f_new - f - slope * alpha;
      const double next = ok && curvature > 0 ? -slope * alpha * alpha / (2 * curvature) : 0.5 * alpha;
      alpha = std::clamp(next, 0.1 * alpha, 0.5 * alpha);
    }
    if (!accepted) break;  // no decrease along d: as good as this metric resolves
    const Vec s = alpha * d, y = g_new - g;
    u += s;
    f = f_new;
    g = g_new;
    if (s.lpNorm<Eigen::Infinity>() < options.step_tolerance) break;
    const double sy = s.dot(y);
    if (sy > 1e-12 * s.norm() * y.norm()) {
      if (first) h = Mat::Identity() * (sy / y.squaredNorm());
      const double rho = 1 / sy;
      const Mat v = Mat::Identity() - rho * y * s.transpose();
      h = v.transpose() * h * v + rho * s * s.transpose();
      first = false;
    }
  }
  Transform::ParametersType p(6);
  for (int i = 0; i < 6; ++i) p[i] = best_u[i] / scale[i];
  transform.SetParameters(p);
  return evaluations;
}
}  // namespace

struct RigidReference::Level {
  Volume::Pointer image;
  PointSet::Pointer points;
  double radius = 1;  // RMS distance of the points from the centre (mm)
};

RigidReference::RigidReference(const Image<float>& reference, const RigidRegistrationOptions& options)
    : options_(options) {
  if (reference.nt() != 1) throw InputError("", "rigid registration needs a 3D reference");
  if (options.shrink_factors.size() != options.smoothing_sigmas.size() || options.shrink_factors.empty())
    throw UsageError("registration: one smoothing sigma per level is needed");
  grid_ = grid_of(reference.header);
  centre_ = grid_centre_ras(reference.header);
  Padding padding;
  const Image<float> padded = pad_thin_axes(reference, padding);
  const std::array<int64_t, 3> n{reference.nx(), reference.ny(), reference.nz()};
  const std::array<int64_t, 3> size{padded.nx(), padded.ny(), padded.nz()};
  const Eigen::Vector3d centre_lps = (kFlip * centre_.homogeneous()).head<3>();
  for (std::size_t l = 0; l < options.shrink_factors.size(); ++l) {
    auto level = std::make_shared<Level>();
    level->image = smoothed(padded, options.smoothing_sigmas[l]);
    // Points: the voxels on a grid of stride `shrink` (per axis, no stride
    // on a thin axis), away from the border, whose smoothed gradient
    // magnitude is in the top `sample_fraction` (the voxels that carry the
    // information about motion; flat background and flat tissue do not).
    const float* img = level->image->GetBufferPointer();
    std::array<int64_t, 3> stride, margin;
    for (int d = 0; d < 3; ++d) {
      stride[d] = n[d] >= 4 * static_cast<int64_t>(options.shrink_factors[l]) ? options.shrink_factors[l] : 1;
      margin[d] = n[d] >= 16 ? 2 : 0;
    }
    struct Candidate {
      float magnitude;
      int64_t i, j, k;
    };
    std::vector<Candidate> candidates;
    const auto at = [&](int64_t i, int64_t j, int64_t k) {
      i = std::clamp<int64_t>(i, 0, size[0] - 1);
      j = std::clamp<int64_t>(j, 0, size[1] - 1);
      k = std::clamp<int64_t>(k, 0, size[2] - 1);
      return img[(k * size[1] + j) * size[0] + i];
    };
    for (int64_t k = margin[2]; k < n[2] - margin[2]; k += stride[2])
      for (int64_t j = margin[1]; j < n[1] - margin[1]; j += stride[1])
        for (int64_t i = margin[0]; i < n[0] - margin[0]; i += stride[0]) {
          const int64_t pi = i + padding.before[0], pj = j + padding.before[1], pk = k + padding.before[2];
          const double gx = (at(pi + 1, pj, pk) - at(pi - 1, pj, pk)) / grid_.spacing()[0];
          const double gy = (at(pi, pj + 1, pk) - at(pi, pj - 1, pk)) / grid_.spacing()[1];
          const double gz = (at(pi, pj, pk + 1) - at(pi, pj, pk - 1)) / grid_.spacing()[2];
          candidates.push_back({static_cast<float>(std::sqrt(gx * gx + gy * gy + gz * gz)), pi, pj, pk});
        }
    if (candidates.empty()) throw InputError("", "the reference has no voxel away from its border to register with");
    std::size_t keep = static_cast<std::size_t>(std::ceil(options.sample_fraction * candidates.size()));
    keep = std::clamp<std::size_t>(keep, std::min<std::size_t>(candidates.size(), 64), candidates.size());
    // Deterministic order: magnitude, then position (nth_element alone would
    // leave ties in an unspecified order).
    const auto stronger = [](const Candidate& a, const Candidate& b) {
      if (a.magnitude != b.magnitude) return a.magnitude > b.magnitude;
      return std::tie(a.k, a.j, a.i) < std::tie(b.k, b.j, b.i);
    };
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep - 1), candidates.end(),
                     stronger);
    candidates.resize(keep);
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) { return std::tie(a.k, a.j, a.i) < std::tie(b.k, b.j, b.i); });
    level->points = PointSet::New();
    level->points->Initialize();
    double r2 = 0;
    for (std::size_t p = 0; p < candidates.size(); ++p) {
      Volume::IndexType index{{candidates[p].i, candidates[p].j, candidates[p].k}};
      PointSet::PointType point;
      level->image->TransformIndexToPhysicalPoint(index, point);
      level->points->SetPoint(p, point);
      for (int d = 0; d < 3; ++d) r2 += std::pow(point[d] - centre_lps[d], 2);
    }
    level->radius = std::max(1.0, std::sqrt(r2 / static_cast<double>(candidates.size())));
    levels_.push_back(level);
  }
}

RigidReference::~RigidReference() = default;

RigidParams RigidReference::register_volume(const Image<float>& moving, const RigidParams& initial,
                                            std::size_t first_level, std::size_t last_level) const {
  if (moving.nt() != 1) throw InputError("", "rigid registration needs a 3D volume");
  require_same_grid(grid_, "the reference", grid_of(moving.header), "the volume");
  const Eigen::Vector3d centre_lps = (kFlip * centre_.homogeneous()).head<3>();

  auto transform = Transform::New();
  transform->SetComputeZYX(true);  // R = Rz Ry Rx, as rigid.hpp
  Transform::InputPointType c;
  for (int i = 0; i < 3; ++i) c[i] = centre_lps[i];
  transform->SetCenter(c);
  {
    // The initial motion, conjugated into LPS, as a matrix: SetMatrix keeps
    // the centre and derives the angles and translation.
    const Eigen::Matrix4d m = kFlip * rigid_matrix(initial, centre_) * kFlip;
    Transform::MatrixType matrix;
    Transform::OutputVectorType offset;
    for (int r = 0; r < 3; ++r) {
      for (int k = 0; k < 3; ++k) matrix[r][k] = m(r, k);
      offset[r] = m(r, 3);
    }
    transform->SetMatrix(matrix, 1e-6);
    transform->SetOffset(offset);
  }

  Padding padding;
  const Image<float> padded = pad_thin_axes(moving, padding);
  for (std::size_t l = first_level; l < levels_.size() && l <= last_level; ++l) {
    const Level& level = *levels_[l];
    const Volume::Pointer moving_level = smoothed(padded, options_.smoothing_sigmas[l]);
    auto metric = make_metric(options_.metric);
    metric->SetMaximumNumberOfWorkUnits(1);
    metric->SetFixedImage(level.image);
    metric->SetMovingImage(moving_level);
    metric->SetVirtualDomainFromImage(level.image);
    metric->SetMovingTransform(transform);
    metric->SetFixedSampledPointSet(level.points);
    metric->SetUseSampledPointSet(true);
    if (options_.gradient_filter) {
      metric->SetUseMovingImageGradientFilter(true);
    } else {
      auto spline = CachedSpline::New();
      spline->SetSplineOrder(3);
      auto gradient = SplineGradient::New();
      gradient->SetSpline(spline);
      metric->SetMovingInterpolator(spline);
      metric->SetMovingImageGradientCalculator(gradient);
      metric->SetUseMovingImageGradientFilter(false);
    }
    metric->Initialize();

    // Scales: a rotation of a radians moves the points by about radius * a mm.
    itk::OptimizerParameters<double> scales(6);
    const double r = level.radius;
    scales[0] = scales[1] = scales[2] = r * r;
    scales[3] = scales[4] = scales[5] = 1.0;
    const double step = l == first_level ? options_.learning_rate : options_.learning_rate / 4;
    if (options_.optimizer == RigidOptimizer::regular_step) {
      auto optimizer = itk::RegularStepGradientDescentOptimizerv4<double>::New();
      optimizer->SetNumberOfWorkUnits(1);
      optimizer->SetMetric(metric);
      optimizer->SetScales(scales);
      optimizer->SetDoEstimateLearningRateOnce(false);
      optimizer->SetDoEstimateLearningRateAtEachIteration(false);
      optimizer->SetLearningRate(step);
      optimizer->SetMinimumStepLength(options_.minimum_step);
      optimizer->SetRelaxationFactor(options_.relaxation);
      optimizer->SetNumberOfIterations(static_cast<itk::SizeValueType>(options_.iterations));
      optimizer->SetGradientMagnitudeTolerance(1e-12);
      optimizer->SetReturnBestParametersAndValue(true);
      optimizer->StartOptimization();
      evaluations_ += optimizer->GetCurrentIteration();
    } else {
      evaluations_ += minimise_bfgs(*metric, *transform, scales, step, options_);
    }
  }
  const Eigen::Matrix4d motion_ras = kFlip * matrix_of(transform) * kFlip;
  return rigid_params_from_matrix(motion_ras, centre_);
}

std::string describe(const RigidRegistrationOptions& options) {
  std::string out = "ITK v4 Euler3D about the grid centre, ";
  out += options.metric == RegistrationMetric::correlation ? "normalised correlation" : "mean squares";
  out += options.optimizer == RigidOptimizer::bfgs ? ", BFGS" : ", regular-step gradient descent";
  out += options.gradient_filter ? ", linear interpolation" : ", cubic B-spline values and gradients";
  char buffer[64];
  out += ", levels (stride, smoothing sigma in voxels):";
  for (std::size_t l = 0; l < options.shrink_factors.size(); ++l) {
    std::snprintf(buffer, sizeof buffer, " %u/%g", options.shrink_factors[l], options.smoothing_sigmas[l]);
    out += buffer;
  }
  std::snprintf(buffer, sizeof buffer, ", the %g %% strongest-gradient voxels", 100 * options.sample_fraction);
  return out + buffer;
}

RigidParams register_rigid(const Image<float>& fixed, const Image<float>& moving,
                           const RigidRegistrationOptions& options, const RigidParams& initial) {
  if (fixed.nt() != 1 || moving.nt() != 1) throw InputError("", "rigid registration needs two 3D volumes");
  require_same_grid(grid_of(fixed.header), "the reference", grid_of(moving.header), "the volume");
  return RigidReference(fixed, options).register_volume(moving, initial);
}

}  // namespace axon::motion
