#include <gtest/gtest.h>

#include "axon/core/error.hpp"
#include "axon/image/series_matrix.hpp"
#include "axon/io/masked_series.hpp"
#include "axon/io/nifti.hpp"
#include "real_files.hpp"

TEST(MaskedSeries, StreamedReadEqualsFullReadUnderTheMask) {
  const std::string path = axon::test::kNipy + "functional.nii.gz";
  auto full = axon::read_image<float>(path);
  // A mask of the voxels brighter than the mean of the first volume.
  auto mask_image = axon::image_like<float>(full, axon::DataType::uint8);
  double mean = 0;
  for (int64_t i = 0; i < full.voxels_per_volume(); ++i) mean += full.data[i];
  mean /= static_cast<double>(full.voxels_per_volume());
  for (int64_t i = 0; i < full.voxels_per_volume(); ++i) mask_image.data[i] = full.data[i] > mean ? 1.0f : 0.0f;
  auto mask = axon::mask_from_image(mask_image, "mask");
  ASSERT_GT(mask.count(), 10u);
  ASSERT_LT(mask.count(), static_cast<size_t>(full.voxels_per_volume()));

  Eigen::MatrixXf streamed = axon::read_masked_series(path, mask);
  Eigen::MatrixXf reference = axon::series_to_matrix(full, mask);
  ASSERT_EQ(streamed.rows(), static_cast<Eigen::Index>(mask.count()));
  ASSERT_EQ(streamed.cols(), 20);
  EXPECT_EQ((streamed - reference).cwiseAbs().maxCoeff(), 0.0f);

  // And back: the matrix becomes a 4D image equal to the input inside the mask.
  auto back = axon::matrix_to_series(streamed, mask, full.header);
  for (int64_t t = 0; t < 20; ++t)
    for (auto idx : mask.indices) EXPECT_EQ(back.volume(t)[idx], full.volume(t)[idx]);
}

TEST(MaskedSeries, MaskOnAnotherGridIsAnInputError) {
  auto other = axon::read_image<float>(axon::test::kTemplates + "ch2bet.nii.gz");
  auto mask = axon::mask_from_image(other, "ch2bet");
  EXPECT_THROW(axon::read_masked_series(axon::test::kNipy + "functional.nii.gz", mask), axon::InputError);
}

TEST(MaskedSeries, EmptyMaskIsAnInputError) {
  auto img = axon::read_image<float>(axon::test::kTemplates + "ch2bet.nii.gz");
  std::fill(img.data.begin(), img.data.end(), 0.0f);
  EXPECT_THROW(axon::mask_from_image(img, "empty"), axon::InputError);
}
