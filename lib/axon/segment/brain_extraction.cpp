#include "axon/segment/brain_extraction.hpp"

#include <itkBinShrinkImageFilter.h>
#include <itkImage.h>
#include <itkSmoothingRecursiveGaussianImageFilter.h>

#include <algorithm>
#include <cmath>

#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/itk_bridge.hpp"
#include "axon/image/resample.hpp"
#include "axon/segment/morphology.hpp"
#include "axon/segment/n4_bias.hpp"
#include "axon/segment/tissue_classes.hpp"

namespace axon::segment {
namespace {

std::vector<float> smooth_mm(const std::vector<float>& data, const Grid& grid, double sigma) {
  using Volume = itk::Image<float, 3>;
  auto image = Volume::New();
  Volume::RegionType region;
  Volume::SpacingType spacing;
  const Eigen::Vector3d s = grid.spacing();
  for (int d = 0; d < 3; ++d) {
    region.SetSize(d, static_cast<itk::SizeValueType>(grid.dims[d]));
    spacing[d] = s[d] > 0 ? s[d] : 1.0;
  }
  image->SetRegions(region);
  image->SetSpacing(spacing);
  image->GetPixelContainer()->SetImportPointer(const_cast<float*>(data.data()), data.size(), false);
  auto filter = itk::SmoothingRecursiveGaussianImageFilter<Volume, Volume>::New();
  filter->SetInput(image);
  filter->SetSigma(sigma);  // physical units (mm)
  filter->Update();
  const float* out = filter->GetOutput()->GetBufferPointer();
  return std::vector<float>(out, out + data.size());
}

double volume_ml(const BinaryVolume& set, const Grid& grid) {
  const Eigen::Vector3d s = grid.spacing();
  return static_cast<double>(std::count(set.begin(), set.end(), 1)) * s[0] * s[1] * s[2] / 1000.0;
}

}  // namespace

namespace {

// Steps 2 to 5 on one image (already bias-corrected or not).
BrainResult extract_once(const std::vector<float>& data, const Grid& grid, const BrainOptions& o,
                         const std::string& path) {
  const std::size_t n = data.size();
  const std::vector<float> smooth = smooth_mm(data, grid, o.smooth_sigma_mm);
  std::vector<float> positive;
  for (float v : smooth)
    if (v > 0) positive.push_back(v);
  if (positive.size() < 1000) throw InputError(path, "fewer than 1000 voxels > 0: not a head image");
  const double head_t = otsu_thresholds(positive, 2)[0];
  std::vector<float> head_values;
  for (float v : smooth)
    if (v > head_t) head_values.push_back(v);
  const auto t = otsu_thresholds(head_values, 3);
  BrainResult r;
  log::info("brain: thresholds head " + std::to_string(head_t) + ", Otsu " + std::to_string(t[0]) + " " +
            std::to_string(t[1]));
  r.threshold_head = head_t;
  r.threshold_low = 0.8 * t[0];
  r.threshold_high = 1.3 * t[1];
  BinaryVolume candidate(n);
  for (std::size_t i = 0; i < n; ++i) candidate[i] = smooth[i] > r.threshold_low && smooth[i] < r.threshold_high;
  if (std::find(candidate.begin(), candidate.end(), 1) == candidate.end())
    throw InputError(path, "no voxel in the brain's intensity range: not a T1-weighted head image?");

  // 4. Erode, keep the largest component, grow it back inside the candidates.
  auto core_for = [&](double radius) {
    BinaryVolume core = largest_component(erode_mm(candidate, grid, radius), grid.dims);
    BinaryVolume grown = dilate_mm(core, grid, radius + 0.5);
    for (std::size_t i = 0; i < n; ++i) grown[i] = grown[i] && candidate[i];
    return grown;
  };
  BinaryVolume brain = core_for(2.0);
  double volume = volume_ml(brain, grid);
  r.erosion_mm = 2.0;
  for (double radius = 2.0; radius < 7.0; radius += 1.0) {
    BinaryVolume next = core_for(radius + 1.0);
    const double next_volume = volume_ml(next, grid);
    log::info("brain: erosion " + std::to_string(radius) + " mm: " + std::to_string(volume) + " mL, " +
              std::to_string(radius + 1) + " mm: " + std::to_string(next_volume) + " mL");
    if (next_volume >= 0.95 * volume) {  // stable: no bridge left at this radius
      r.stable = true;
      break;
    }
    brain.swap(next);
    volume = next_volume;
    r.erosion_mm = radius + 1.0;
  }
  if (volume <= 0) throw InputError(path, "brain extraction found no brain (is this a T1-weighted head image?)");

  // 5. Close, fill, keep one piece.
  BinaryVolume closed = close_mm(brain, grid, o.close_mm);
  for (std::size_t i = 0; i < n; ++i) closed[i] = closed[i] || brain[i];
  r.mask = largest_component(fill_holes(closed, grid.dims), grid.dims);
  return r;
}

}  // namespace

namespace {

// The image block-averaged to voxels of about `target_mm` (factor
// round(target / spacing) per axis, at least 1; a partial block at the far
// edge is dropped), through ITK's BinShrinkImageFilter.
Image<float> block_average(const Image<float>& image, double target_mm) {
  const Eigen::Vector3d s = grid_of(image.header).spacing();
  auto shrink = itk::BinShrinkImageFilter<ItkVolume<float>, ItkVolume<float>>::New();
  auto view = itk_view(image);
  shrink->SetInput(view);
  for (unsigned d = 0; d < 3; ++d)
    shrink->SetShrinkFactor(d, static_cast<unsigned>(std::max(1.0, std::round(target_mm / std::max(s[d], 1e-3)))));
  shrink->Update();
  const Grid coarse_grid = grid_of_itk(shrink->GetOutput());
  Image<float> out;
  out.header = header_for_grid(image.header, coarse_grid);
  out.header.datatype = static_cast<int>(DataType::float32);
  out.header.scl_slope = 0;
  out.header.scl_inter = 0;
  out.data.resize(static_cast<std::size_t>(coarse_grid.voxels()));
  copy_from_itk(shrink->GetOutput(), out);
  return out;
}

}  // namespace

BrainResult extract_brain(const Image<float>& image, const BrainOptions& o, const std::string& path) {
  const Grid grid = grid_of(image.header);
  const std::size_t n = image.data.size();
  Image<float> positive = image;
  for (float& v : positive.data) v = std::max(v, 0.f);  // magnitude image; interpolation may undershoot
  // Everything up to the final mask runs on a grid of about 2 mm: averaging
  // 2x2x2 voxels of a 1 mm image divides the noise by 2.8 before any
  // threshold (with only the 1 mm Gaussian, Rician noise of 5 % bridged the
  // N4-corrected scalp to the brain at every erosion radius), and the
  // morphology and N4 work on 8x fewer voxels.
  Image<float> work = block_average(positive, o.working_mm);
  const Grid work_grid = grid_of(work.header);
  const std::size_t m = work.data.size();
  BrainResult r = extract_once(work.data, work_grid, o, path);
  if (o.bias_correct) {
    // N4 (ANTs' defaults but on a grid of about 8 mm: the B-spline fit, 80 %
    // of the time, scales with the voxels it fits, and a field with control
    // points 25 mm apart at the finest level needs no finer samples) fitted
    // on the first mask grown by 10 mm, then the extraction again on the
    // corrected image. Fitting N4 on the whole head instead let scalp and
    // background noise pull the field.
    BinaryVolume fit = dilate_mm(r.mask, work_grid, 10.0);
    std::vector<std::uint8_t> fit_mask(m);
    for (std::size_t i = 0; i < m; ++i) fit_mask[i] = fit[i] && work.data[i] > 0;
    N4Options n4;
    const Eigen::Vector3d ws = work_grid.spacing();
    n4.shrink = std::max(1, static_cast<int>(std::round(o.n4_grid_mm / std::max(ws.minCoeff(), 1e-3))));
    work = n4_correct(work, fit_mask, n4, path).corrected;
    BrainResult corrected = extract_once(work.data, work_grid, o, path);
    // The corrected pass wins unless its radius rule failed (a bridge to
    // the scalp at every radius) where the first pass's held: on noisy
    // images the corrected scalp can bridge to the brain.
    if (corrected.stable || !r.stable) r = std::move(corrected);
    else log::info("brain: no stable erosion radius after N4; the uncorrected pass's mask is kept");
  }
  if (m != n) {
    // Back to the input's grid: the mask's linear interpolation above 0.5.
    Image<float> coarse_mask = image_like<float>(work, DataType::float32);
    for (std::size_t i = 0; i < m; ++i) coarse_mask.data[i] = r.mask[i];
    const Image<float> fine = resample_like(coarse_mask, image.header, Interpolation::linear, 0.f);
    BinaryVolume mask(n);
    for (std::size_t i = 0; i < n; ++i) mask[i] = fine.data[i] > 0.5f;
    r.mask = largest_component(fill_holes(mask, grid.dims), grid.dims);
  }
  if (o.border_mm > 0) r.mask = dilate_mm(r.mask, grid, o.border_mm);
  if (o.border_mm < 0) r.mask = largest_component(erode_mm(r.mask, grid, -o.border_mm), grid.dims);
  r.volume_ml = volume_ml(r.mask, grid);
  return r;
}

}  // namespace axon::segment
