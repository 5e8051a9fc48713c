#include "axon/segment/n4_bias.hpp"

#include <itkBSplineControlPointImageFilter.h>
#include <itkImage.h>
#include <itkMultiThreaderBase.h>
#include <itkN4BiasFieldCorrectionImageFilter.h>
#include <itkShrinkImageFilter.h>

#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"

namespace axon::segment {

unsigned n4_control_points(int64_t voxels, double spacing_mm, double distance_mm, unsigned order) {
  const double extent = static_cast<double>(std::max<int64_t>(voxels - 1, 1)) * spacing_mm;
  return static_cast<unsigned>(std::max(1.0, std::ceil(extent / distance_mm))) + order;
}

N4Result n4_correct(const Image<float>& image, const std::vector<std::uint8_t>& mask, const N4Options& options,
                    const std::string& path) {
  using FloatImage = itk::Image<float, 3>;
  using MaskImage = itk::Image<std::uint8_t, 3>;
  const Grid grid = grid_of(image.header);
  const std::size_t n = static_cast<std::size_t>(image.voxels_per_volume());

  // The fit mask: the user's mask (or everything) and intensity > 0.
  // N4 needs only the voxel sizes: its B-spline lives on the index grid
  // scaled by the spacing, so the images get identity direction and origin 0.
  FloatImage::RegionType region;
  FloatImage::SpacingType spacing_itk;
  const Eigen::Vector3d spacing = grid.spacing();
  for (int d = 0; d < 3; ++d) {
    region.SetSize(d, static_cast<itk::SizeValueType>(grid.dims[d]));
    spacing_itk[d] = spacing[d] > 0 ? spacing[d] : 1.0;
  }
  auto fit_mask = MaskImage::New();
  fit_mask->SetRegions(region);
  fit_mask->SetSpacing(spacing_itk);
  fit_mask->Allocate();
  std::uint8_t* fm = fit_mask->GetBufferPointer();
  std::size_t usable = 0;
  for (std::size_t i = 0; i < n; ++i) {
    fm[i] = (mask.empty() || mask[i]) && image.data[i] > 0;
    usable += fm[i];
  }
  if (usable < 100)
    throw InputError(path, "fewer than 100 voxels with intensity > 0" + std::string(mask.empty() ? "" : " in the mask") +
                               ": nothing to fit a bias field to");

  auto input = FloatImage::New();
  input->SetRegions(region);
  input->SetSpacing(spacing_itk);
  input->GetPixelContainer()->SetImportPointer(const_cast<float*>(image.data.data()), n, false);
  using Shrinker = itk::ShrinkImageFilter<FloatImage, FloatImage>;
  using MaskShrinker = itk::ShrinkImageFilter<MaskImage, MaskImage>;
  auto shrinker = Shrinker::New();
  shrinker->SetInput(input);
  shrinker->SetShrinkFactors(static_cast<unsigned>(options.shrink));
  auto mask_shrinker = MaskShrinker::New();
  mask_shrinker->SetInput(fit_mask);
  mask_shrinker->SetShrinkFactors(static_cast<unsigned>(options.shrink));
  shrinker->Update();
  mask_shrinker->Update();

  // N4's B-spline fit sums per work unit and then across work units, so its
  // float rounding depends on how many there are: run it with one, so that
  // the field is the same for any --threads (the fit is a small part of
  // the work on a shrunken image).
  struct OneWorkUnit {
    itk::ThreadIdType saved = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads();
    OneWorkUnit() { itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(1); }
    ~OneWorkUnit() { itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(saved); }
  } one_work_unit;
  using N4 = itk::N4BiasFieldCorrectionImageFilter<FloatImage, MaskImage, FloatImage>;
  auto n4 = N4::New();
  n4->SetInput(shrinker->GetOutput());
  n4->SetMaskImage(mask_shrinker->GetOutput());
  N4::VariableSizeArrayType iterations(static_cast<unsigned>(options.iterations.size()));
  for (std::size_t l = 0; l < options.iterations.size(); ++l) iterations[static_cast<unsigned>(l)] = options.iterations[l];
  n4->SetMaximumNumberOfIterations(iterations);
  n4->SetNumberOfFittingLevels(static_cast<unsigned>(options.iterations.size()));
  n4->SetConvergenceThreshold(static_cast<float>(options.convergence));
  n4->SetSplineOrder(options.spline_order);
  n4->SetBiasFieldFullWidthAtHalfMaximum(static_cast<float>(options.bias_fwhm));
  n4->SetWienerFilterNoise(static_cast<float>(options.wiener_noise));
  n4->SetNumberOfHistogramBins(options.histogram_bins);
  N4::ArrayType control_points;
  N4Result result;
  for (int d = 0; d < 3; ++d) {
    control_points[d] = n4_control_points(grid.dims[d], spacing[d], options.spline_distance_mm, options.spline_order);
    result.control_points[d] = control_points[d];
  }
  n4->SetNumberOfControlPoints(control_points);
  n4->Update();

  // The log field at full resolution, from the fitted lattice (ANTs' way).
  using Lattice = N4::BiasFieldControlPointLatticeType;
  using ScalarImage = N4::ScalarImageType;
  auto bspliner = itk::BSplineControlPointImageFilter<Lattice, ScalarImage>::New();
  bspliner->SetInput(n4->GetLogBiasFieldControlPointLattice());
  bspliner->SetSplineOrder(options.spline_order);
  bspliner->SetSize(input->GetLargestPossibleRegion().GetSize());
  bspliner->SetOrigin(input->GetOrigin());
  bspliner->SetSpacing(input->GetSpacing());
  bspliner->SetDirection(input->GetDirection());
  bspliner->Update();
  const auto* log_field = bspliner->GetOutput()->GetBufferPointer();

  result.corrected = image_like<float>(image, DataType::float32);
  result.field = image_like<float>(image, DataType::float32);
  for (std::size_t i = 0; i < n; ++i) {
    const float f = std::exp(log_field[i][0]);
    result.field.data[i] = f;
    result.corrected.data[i] = image.data[i] > 0 ? image.data[i] / f : image.data[i];
  }
  return result;
}

}  // namespace axon::segment
