// axon's neighbourhood cross-correlation (the metric of SyN, from window
// sums) against ITK's own itk::ANTSNeighborhoodCorrelationImageToImageMetricv4
// on the same two images, as ITK's SyN evaluates it (dense, identity
// displacement-field transforms, central-difference moving gradient): the
// value and every voxel's gradient agree to rounding (ITK multiplies the
// float voxel values in float: up to 1e-3 of the largest component at a
// few voxels of radius 1, 1e-7 on average), and the result does
// not depend on the thread count.
#include <gtest/gtest.h>

#include <itkANTSNeighborhoodCorrelationImageToImageMetricv4.h>
#include <itkDisplacementFieldTransform.h>
#include <itkMultiThreaderBase.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>

#include "axon/image/itk_bridge.hpp"
#include "axon/register/apply_transforms.hpp"
#include "axon/register/neighbourhood_correlation.hpp"
#include "recovery_fixture.hpp"

namespace {
using namespace axon;
using namespace axon::registration;

// Colin27 at 3 mm and the same head rotated by 6 degrees (so that the
// local correlations and gradients are far from trivial).
struct Pair {
  Image<float> fixed, moving;
};

const Pair& pair() {
  static const Pair p = [] {
    Pair out;
    out.fixed = test::colin_3mm().t1;
    LinearTransform t;
    t.centre = {0, -18, 18};
    const Eigen::Matrix3d r = Eigen::AngleAxisd(0.1, Eigen::Vector3d(0.2, 0.6, -0.8).normalized()).toRotationMatrix();
    t.matrix.topLeftCorner<3, 3>() = r;
    t.matrix.topRightCorner<3, 1>() = t.centre + Eigen::Vector3d(3, -2, 4) - r * t.centre;
    out.moving = apply_transforms(out.fixed, out.fixed.header, {{"r", t, nullptr}}, ApplyInterpolation::linear);
    return out;
  }();
  return p;
}

TEST(NeighbourhoodCorrelation, MatchesItksMetricValueAndGradient) {
  const Pair& p = pair();
  auto fixed = itk_view(p.fixed), moving = itk_view(p.moving);
  for (unsigned radius : {1u, 2u}) {
    SCOPED_TRACE(radius);
    const CorrelationGradient ours = neighbourhood_correlation(fixed, moving, radius);

    using Metric = itk::ANTSNeighborhoodCorrelationImageToImageMetricv4<Volume, Volume, Volume, double>;
    using FieldTransform = itk::DisplacementFieldTransform<double, 3>;
    auto identity = FieldTransform::New();
    identity->SetDisplacementField(zero_itk_field(fixed));
    auto metric = Metric::New();
    Metric::RadiusType r;
    r.Fill(radius);
    metric->SetRadius(r);
    metric->SetFixedImage(fixed);
    metric->SetMovingImage(moving);
    metric->SetMovingTransform(identity);
    metric->SetUseMovingImageGradientFilter(false);
    metric->SetUseFixedImageGradientFilter(false);
    metric->Initialize();
    Metric::MeasureType value;
    Metric::DerivativeType derivative(metric->GetNumberOfParameters());
    derivative.Fill(0);
    metric->GetValueAndDerivative(value, derivative);

    // ITK squares and multiplies the float voxel values in float before
    // summing in double; axon multiplies in double: rounding apart, the same.
    EXPECT_NEAR(ours.value, value, 1e-7 * std::fabs(value));
    const auto* g = ours.gradient->GetBufferPointer();
    const std::size_t voxels = ours.gradient->GetLargestPossibleRegion().GetNumberOfPixels();
    ASSERT_EQ(derivative.Size(), 3 * voxels);
    double largest = 0, worst = 0, total = 0;
    std::size_t nonzero = 0;
    for (std::size_t i = 0; i < voxels; ++i)
      for (unsigned d = 0; d < 3; ++d) {
        largest = std::max(largest, std::fabs(derivative[3 * i + d]));
        worst = std::max(worst, std::fabs(g[i][d] - derivative[3 * i + d]));
        total += std::fabs(g[i][d] - derivative[3 * i + d]);
        nonzero += derivative[3 * i + d] != 0;
      }
    EXPECT_GT(nonzero, voxels / 4);  // a real gradient, not an empty one
    EXPECT_LT(worst, 1e-3 * largest) << "largest gradient component " << largest;
    EXPECT_LT(total / (3.0 * static_cast<double>(voxels)), 1e-7 * largest) << "mean difference";
  }
}

TEST(NeighbourhoodCorrelation, SameBytesForAnyThreadCount) {
  const Pair& p = pair();
  auto fixed = itk_view(p.fixed), moving = itk_view(p.moving);
  const auto threads = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads();
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(1);
  const CorrelationGradient one = neighbourhood_correlation(fixed, moving, 2);
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(3);
  const CorrelationGradient three = neighbourhood_correlation(fixed, moving, 2);
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(threads);
  EXPECT_EQ(one.value, three.value);
  const std::size_t voxels = one.gradient->GetLargestPossibleRegion().GetNumberOfPixels();
  EXPECT_TRUE(std::equal(one.gradient->GetBufferPointer(), one.gradient->GetBufferPointer() + voxels,
                         three.gradient->GetBufferPointer()));
}

}  // namespace

// SyN asks for both directions every iteration; the pair computed from one
// set of window sums is the two separate calls, bit for bit.
TEST(NeighbourhoodCorrelation, BothDirectionsAreTheTwoSeparateCalls) {
  const Pair& p = pair();
  auto fixed = itk_view(p.fixed), moving = itk_view(p.moving);
  const CorrelationPair both = neighbourhood_correlation_both(fixed, moving, 2);
  const CorrelationGradient forward = neighbourhood_correlation(fixed, moving, 2);
  const CorrelationGradient swapped = neighbourhood_correlation(moving, fixed, 2);
  EXPECT_EQ(both.forward.value, forward.value);
  EXPECT_EQ(both.swapped.value, swapped.value);
  const std::size_t voxels = forward.gradient->GetLargestPossibleRegion().GetNumberOfPixels();
  std::size_t differing = 0, nonzero = 0;
  for (std::size_t i = 0; i < voxels; ++i) {
    differing += both.forward.gradient->GetBufferPointer()[i] != forward.gradient->GetBufferPointer()[i];
    differing += both.swapped.gradient->GetBufferPointer()[i] != swapped.gradient->GetBufferPointer()[i];
    nonzero += swapped.gradient->GetBufferPointer()[i].GetNorm() > 0;
  }
  EXPECT_EQ(differing, 0u);
  EXPECT_GT(nonzero, voxels / 4);  // the swapped gradient is not trivially zero
}
