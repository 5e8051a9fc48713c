#include "axon/register/overlay_figure.hpp"

#include <itkCannyEdgeDetectionImageFilter.h>
#include <itkGradientMagnitudeRecursiveGaussianImageFilter.h>

#include <algorithm>
#include <cmath>

#include "axon/core/percentile.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/itk_bridge.hpp"
#include "axon/segment/qc_figure.hpp"

namespace axon::registration {

std::vector<int32_t> edge_voxels(const Image<float>& image) {
  const std::size_t n = image.data.size();
  std::vector<int32_t> edges(n, 0);
  std::vector<float> nonzero;
  for (float v : image.data)
    if (v != 0 && std::isfinite(v)) nonzero.push_back(v);
  if (nonzero.empty()) return edges;
  // From zero (the background of a scan, or its negative 1st percentile) to
  // the 99th percentile, so that a uniform object keeps its contrast.
  const float lo = std::min(0.0f, static_cast<float>(percentile_linear(nonzero, 1)));
  const float hi = std::max(static_cast<float>(percentile_linear(nonzero, 99)), lo + 1e-6f);
  Image<float> scaled = image;
  for (auto& v : scaled.data) v = std::isfinite(v) ? std::clamp((v - lo) / (hi - lo), 0.0f, 1.0f) : 0.0f;
  auto volume = itk_view(scaled);

  const double sigma_mm = std::max(1.5, grid_of(image.header).spacing().minCoeff());
  // Hysteresis thresholds from the gradient magnitude the Canny filter sees
  // (same Gaussian), so that they adapt to the contrast.
  using Gradient = itk::GradientMagnitudeRecursiveGaussianImageFilter<ItkVolume<float>, ItkVolume<float>>;
  auto gradient = Gradient::New();
  gradient->SetInput(volume);
  gradient->SetSigma(sigma_mm);
  gradient->SetNumberOfWorkUnits(1);  // the same bytes for any thread count
  gradient->Update();
  const float* g = gradient->GetOutput()->GetBufferPointer();
  // The strongest boundaries (the 99th percentile of the gradient where the
  // image or its gradient is non-zero) set the scale; hysteresis keeps
  // boundaries above a quarter of it, continued down to a tenth.
  std::vector<float> near;
  for (std::size_t i = 0; i < n; ++i)
    if (image.data[i] != 0 || g[i] > 0) near.push_back(g[i]);
  const float strongest = static_cast<float>(percentile_linear(near, 99));
  const float lower = 0.10f * strongest, upper = 0.25f * strongest;

  using Canny = itk::CannyEdgeDetectionImageFilter<ItkVolume<float>, ItkVolume<float>>;
  auto canny = Canny::New();
  canny->SetInput(volume);
  canny->SetVariance(sigma_mm * sigma_mm);
  canny->SetMaximumError(0.05);
  canny->SetLowerThreshold(lower);
  canny->SetUpperThreshold(upper);
  canny->SetNumberOfWorkUnits(1);
  canny->Update();
  const float* c = canny->GetOutput()->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) edges[i] = c[i] > 0 ? 1 : 0;
  return edges;
}

Raster registration_overlay_figure(const Image<float>& fixed, const Image<float>& warped) {
  return segment::label_overlay_figure(warped, edge_voxels(fixed));
}

}  // namespace axon::registration
