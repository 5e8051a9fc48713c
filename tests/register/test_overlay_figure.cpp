// The registration overlay: the edges it draws lie on the fixed image's
// boundaries (a ball of known radius), cover them, and adapt to the scale
// of the intensities; the figure shows them in red on the warped image.
#include <gtest/gtest.h>

#include <cmath>

#include "axon/register/overlay_figure.hpp"
#include "recovery_fixture.hpp"

namespace {
using namespace axon;

// A ball of radius `radius_voxels` (value `inside`, 0 outside) on Colin27's
// 3 mm grid, centred on the grid's centre.
Image<float> ball(double radius_voxels, float inside) {
  Image<float> image = test::colin_3mm().t1;
  const double c[3] = {(image.nx() - 1) / 2.0, (image.ny() - 1) / 2.0, (image.nz() - 1) / 2.0};
  for (int64_t k = 0; k < image.nz(); ++k)
    for (int64_t j = 0; j < image.ny(); ++j)
      for (int64_t i = 0; i < image.nx(); ++i)
        image.at(i, j, k) = std::hypot(i - c[0], j - c[1], k - c[2]) <= radius_voxels ? inside : 0.0f;
  return image;
}

double distance_to_sphere(const Image<float>& image, int64_t i, int64_t j, int64_t k, double radius) {
  return std::abs(std::hypot(i - (image.nx() - 1) / 2.0, j - (image.ny() - 1) / 2.0, k - (image.nz() - 1) / 2.0) - radius);
}

TEST(RegisterOverlay, EdgesOfABallLieOnItsSurfaceAndCoverIt) {
  const double radius = 15;  // voxels (45 mm)
  for (float scale : {1.0f, 3000.0f}) {
    const Image<float> image = ball(radius, scale);
    const std::vector<int32_t> edges = registration::edge_voxels(image);
    int64_t edge_count = 0, off_surface = 0, surface = 0, surface_found = 0;
    for (int64_t k = 0; k < image.nz(); ++k)
      for (int64_t j = 0; j < image.ny(); ++j)
        for (int64_t i = 0; i < image.nx(); ++i) {
          const double d = distance_to_sphere(image, i, j, k, radius);
          const bool edge = edges[static_cast<std::size_t>((k * image.ny() + j) * image.nx() + i)] != 0;
          edge_count += edge;
          off_surface += edge && d > 1.5;
          if (d < 0.5) {
            ++surface;
            // An edge voxel within one voxel of this surface point.
            bool near = false;
            for (int64_t dk = -1; dk <= 1 && !near; ++dk)
              for (int64_t dj = -1; dj <= 1 && !near; ++dj)
                for (int64_t di = -1; di <= 1 && !near; ++di)
                  near = edges[static_cast<std::size_t>(((k + dk) * image.ny() + j + dj) * image.nx() + i + di)] != 0;
            surface_found += near;
          }
        }
    SCOPED_TRACE(scale);
    ASSERT_GT(edge_count, 0);
    EXPECT_EQ(off_surface, 0) << "of " << edge_count << " edge voxels";
    EXPECT_GT(static_cast<double>(surface_found) / static_cast<double>(surface), 0.9);
  }
}

TEST(RegisterOverlay, FigureDrawsTheFixedEdgesInRedOnTheWarpedImage) {
  const Image<float>& head = test::colin_3mm().t1;
  const Raster figure = registration::registration_overlay_figure(ball(15, 1), head);
  // Three panels side by side (x-y, x-z, y-z) at 3 mm per pixel.
  EXPECT_EQ(figure.width(), static_cast<int>(2 * head.nx() + head.ny()));
  EXPECT_EQ(figure.height(), static_cast<int>(std::max(head.ny(), head.nz())));
  int64_t red = 0, grey = 0;
  for (int y = 0; y < figure.height(); ++y)
    for (int x = 0; x < figure.width(); ++x) {
      const Color c = figure.get(x, y);
      red += c.r == 255 && c.g == 40 && c.b == 40;
      grey += c.r == c.g && c.g == c.b && c.r > 0;
    }
  // A circle per panel (about 2 pi 15 pixels each) and the head around it.
  EXPECT_GT(red, 3 * 60);
  EXPECT_LT(red, 3 * 200);
  EXPECT_GT(grey, figure.width() * figure.height() / 4);
}

}  // namespace
