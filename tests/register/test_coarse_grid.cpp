// The coarse grid the registration levels run on (coarse_grid.hpp) and the
// levels split onto it (registration_options.hpp): the grid keeps the
// image's centre, axes and extent; smooth content survives the trip; a
// field interpolated back is exact for linear fields; levels keep their
// physical resolution.
#include <gtest/gtest.h>

#include <itkImageRegionConstIteratorWithIndex.h>
#include <itkImageRegionIteratorWithIndex.h>

#include <algorithm>
#include <cmath>

#include "axon/register/coarse_grid.hpp"
#include "axon/register/registration_options.hpp"

namespace {
using namespace axon::registration;

// A 0.9 x 1.5 x 0.9 mm grid, rotated, with a linear ramp in world x.
Volume::Pointer ramp_image() {
  auto image = Volume::New();
  Volume::SizeType size{{80, 48, 70}};
  image->SetRegions(Volume::RegionType(size));
  Volume::SpacingType spacing;
  spacing[0] = 0.9, spacing[1] = 1.5, spacing[2] = 0.9;
  image->SetSpacing(spacing);
  Volume::PointType origin;
  origin[0] = -30, origin[1] = 12, origin[2] = 5;
  image->SetOrigin(origin);
  Volume::DirectionType direction;
  const double c = std::cos(0.3), s = std::sin(0.3);
  direction.SetIdentity();
  direction[0][0] = c, direction[0][1] = -s, direction[1][0] = s, direction[1][1] = c;
  image->SetDirection(direction);
  image->Allocate();
  for (itk::ImageRegionIteratorWithIndex<Volume> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it) {
    Volume::PointType p;
    image->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    it.Set(static_cast<float>(2.0 * p[0] + 100));
  }
  return image;
}

itk::Point<double, 3> centre_of(const itk::ImageBase<3>* image) {
  itk::ContinuousIndex<double, 3> middle;
  for (unsigned d = 0; d < 3; ++d) middle[d] = (image->GetLargestPossibleRegion().GetSize()[d] - 1) / 2.0;
  itk::Point<double, 3> p;
  image->TransformContinuousIndexToPhysicalPoint(middle, p);
  return p;
}

}  // namespace

TEST(CoarseGrid, KeepsCentreAxesAndExtent) {
  const auto fine = ramp_image();
  const auto coarse = coarsened(fine, 2.0);
  ASSERT_NE(coarse.GetPointer(), fine.GetPointer());
  for (unsigned d = 0; d < 3; ++d) {
    EXPECT_DOUBLE_EQ(coarse->GetSpacing()[d], 2.0);
    const double extent = fine->GetLargestPossibleRegion().GetSize()[d] * fine->GetSpacing()[d];
    const double coarse_extent = coarse->GetLargestPossibleRegion().GetSize()[d] * 2.0;
    EXPECT_GE(coarse_extent, extent - 1e-9);
    EXPECT_LT(coarse_extent, extent + 2.0);
    EXPECT_NEAR(centre_of(coarse)[d], centre_of(fine)[d], 1e-9);
  }
  EXPECT_EQ(coarse->GetDirection(), fine->GetDirection());
  EXPECT_EQ(coarsening_factor(fine, coarse), 2u);
  // Already coarse enough (within 5 %), or no spacing: the image itself.
  EXPECT_EQ(coarsened(fine, 0.92).GetPointer(), fine.GetPointer());
  EXPECT_EQ(coarsened(fine, 0).GetPointer(), fine.GetPointer());
}

TEST(CoarseGrid, ALinearRampSurvivesAwayFromTheEdges) {
  // Blur and linear interpolation both keep a linear function exact, except
  // where the blur reaches past the image's edge.
  const auto coarse = coarsened(ramp_image(), 2.0);
  const auto size = coarse->GetLargestPossibleRegion().GetSize();
  double worst = 0;
  for (itk::ImageRegionConstIteratorWithIndex<Volume> it(coarse, coarse->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it) {
    const auto i = it.GetIndex();
    bool inner = true;
    for (unsigned d = 0; d < 3; ++d) inner = inner && i[d] >= 4 && i[d] < static_cast<long>(size[d]) - 4;
    if (!inner) continue;
    Volume::PointType p;
    coarse->TransformIndexToPhysicalPoint(i, p);
    worst = std::max(worst, std::abs(it.Get() - (2.0 * p[0] + 100)));
  }
  EXPECT_LT(worst, 1e-2);
}

TEST(CoarseGrid, FieldsComeBackOnTheFixedGrid) {
  const auto fine = ramp_image();
  const auto coarse = coarsened(fine, 2.0);
  // A linear field on the coarse grid: linear interpolation reproduces it
  // exactly wherever the fine voxel lies between coarse voxel centres.
  auto field = zero_itk_field(coarse);
  for (itk::ImageRegionIteratorWithIndex<ItkField> it(field, field->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it) {
    Volume::PointType p;
    field->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    ItkField::PixelType v;
    v[0] = 0.1 * p[1], v[1] = -0.05 * p[2] + 1, v[2] = 0.02 * p[0];
    it.Set(v);
  }
  const auto back = field_on_grid(field, fine);
  EXPECT_EQ(back->GetLargestPossibleRegion().GetSize(), fine->GetLargestPossibleRegion().GetSize());
  EXPECT_EQ(back->GetOrigin(), fine->GetOrigin());
  std::size_t inside = 0, total = 0;
  double worst = 0;
  for (itk::ImageRegionConstIteratorWithIndex<ItkField> it(back, back->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it) {
    ++total;
    Volume::PointType p;
    back->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    itk::ContinuousIndex<double, 3> c;
    coarse->TransformPhysicalPointToContinuousIndex(p, c);
    bool within = true, covered = true;
    for (unsigned d = 0; d < 3; ++d) {
      const double n = static_cast<double>(coarse->GetLargestPossibleRegion().GetSize()[d]);
      within = within && c[d] >= 0 && c[d] <= n - 1;
      covered = covered && c[d] >= -0.5 && c[d] <= n - 0.5;
    }
    EXPECT_TRUE(covered);  // the coarse grid covers the fixed grid's extent
    if (!within) continue;  // the outer half voxel takes the edge voxels' values
    ++inside;
    const auto v = it.Get();
    worst = std::max({worst, std::abs(v[0] - 0.1 * p[1]), std::abs(v[1] - (-0.05 * p[2] + 1)), std::abs(v[2] - 0.02 * p[0])});
  }
  EXPECT_GT(inside, total * 8 / 10);
  EXPECT_LT(worst, 1e-9);
}

TEST(CoarseGrid, CropsToTheContentWithAMargin) {
  auto image = ramp_image();
  // Zero everywhere but a block of voxels [20, 40) x [10, 30) x [15, 25).
  for (itk::ImageRegionIteratorWithIndex<Volume> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it) {
    const auto i = it.GetIndex();
    if (!(i[0] >= 20 && i[0] < 40 && i[1] >= 10 && i[1] < 30 && i[2] >= 15 && i[2] < 25)) it.Set(0);
  }
  const auto crop = cropped_to_content(image, image, 3.0);  // 4, 2 and 4 voxels of 0.9, 1.5, 0.9 mm
  ASSERT_NE(crop.GetPointer(), image.GetPointer());
  const auto size = crop->GetLargestPossibleRegion().GetSize();
  EXPECT_EQ(size[0], 20u + 2 * 4);
  EXPECT_EQ(size[1], 20u + 2 * 2);
  EXPECT_EQ(size[2], 10u + 2 * 4);
  // Every voxel keeps its world position and value.
  double worst = 0;
  for (itk::ImageRegionConstIteratorWithIndex<Volume> it(crop, crop->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it) {
    Volume::PointType p;
    crop->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    Volume::IndexType source;
    ASSERT_TRUE(image->TransformPhysicalPointToIndex(p, source));
    worst = std::max(worst, static_cast<double>(std::abs(it.Get() - image->GetPixel(source))));
  }
  EXPECT_EQ(worst, 0.0);
  // Content that reaches the grid's edges, or no content: the image itself.
  const auto full = ramp_image();
  EXPECT_EQ(cropped_to_content(full, full, 3.0).GetPointer(), full.GetPointer());
  // On the coarse grid, with the box found on the fine image (the blur of
  // coarsened() leaves no exact zeros): the block and the margin covered.
  const auto coarse = coarsened(image, 2.0);
  const auto coarse_crop = cropped_to_content(coarse, image, 3.0);
  ASSERT_NE(coarse_crop.GetPointer(), coarse.GetPointer());
  for (long corner = 0; corner < 8; ++corner) {
    Volume::IndexType i;
    i[0] = corner & 1 ? 39 + 3 : 20 - 3, i[1] = corner & 2 ? 29 + 2 : 10 - 2, i[2] = corner & 4 ? 24 + 3 : 15 - 3;
    Volume::PointType p;
    image->TransformIndexToPhysicalPoint(i, p);
    itk::ContinuousIndex<double, 3> c;
    coarse_crop->TransformPhysicalPointToContinuousIndex(p, c);
    for (unsigned d = 0; d < 3; ++d) {
      EXPECT_GE(c[d], -0.5);
      EXPECT_LE(c[d], coarse_crop->GetLargestPossibleRegion().GetSize()[d] - 0.5);
    }
  }
  EXPECT_LT(coarse_crop->GetLargestPossibleRegion().GetNumberOfPixels(), coarse->GetLargestPossibleRegion().GetNumberOfPixels() / 3);
  full->FillBuffer(0);
  EXPECT_EQ(cropped_to_content(full, full, 3.0).GetPointer(), full.GetPointer());
}

TEST(SplitLevels, KeepThePhysicalResolution) {
  const std::vector<Level> levels{{8, 3, 100}, {4, 2, 70}, {2, 1, 20}, {1, 0, 5}};
  const SplitLevels two = split_levels(levels, 2);
  ASSERT_EQ(two.coarse.size(), 3u);
  EXPECT_EQ(two.coarse[0].shrink, 4u);
  EXPECT_DOUBLE_EQ(two.coarse[0].smoothing, 1.5);
  EXPECT_EQ(two.coarse[0].iterations, 100u);
  EXPECT_EQ(two.coarse[2].shrink, 1u);
  EXPECT_DOUBLE_EQ(two.coarse[2].smoothing, 0.5);
  EXPECT_EQ(two.coarse[2].iterations, 20u);
  ASSERT_EQ(two.fine.size(), 1u);
  EXPECT_EQ(two.fine[0].shrink, 1u);
  EXPECT_EQ(two.fine[0].iterations, 5u);
  const SplitLevels one = split_levels(levels, 1);
  EXPECT_EQ(one.coarse.size(), 4u);
  EXPECT_TRUE(one.fine.empty());
  const SplitLevels sixteen = split_levels(levels, 16);
  EXPECT_TRUE(sixteen.coarse.empty());
  EXPECT_EQ(sixteen.fine.size(), 4u);
}
