#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "axon/report/raster.hpp"

TEST(Raster, LinesAndRectanglesLandOnTheExpectedPixels) {
  axon::Raster r(10, 8);
  r.line(0, 0, 9, 7, {255, 0, 0});
  EXPECT_EQ(r.get(0, 0).r, 255);
  EXPECT_EQ(r.get(9, 7).r, 255);
  EXPECT_EQ(r.get(9, 0).g, 255);  // untouched background
  r.fill_rect(2, 2, 3, 2, {0, 0, 9});
  EXPECT_EQ(r.get(4, 3).b, 9);
  EXPECT_EQ(r.get(5, 3).b, 255);
  r.set(-1, 100, {0, 0, 0});  // ignored, no crash
}

TEST(Raster, ColourMapsHitTheirEnds) {
  EXPECT_EQ(axon::gray_map(0).r, 0);
  EXPECT_EQ(axon::gray_map(1).r, 255);
  auto mid = axon::diverging_map(0.5);
  EXPECT_EQ(mid.r, 255);
  EXPECT_EQ(mid.b, 255);
  EXPECT_GT(axon::diverging_map(1).r, axon::diverging_map(1).b);
  EXPECT_GT(axon::diverging_map(0).b, axon::diverging_map(0).r);
}

TEST(Raster, WritesAPngThatPythonReadsBack) {
  axon::Raster r(7, 5);
  r.fill_rect(0, 0, 7, 5, {10, 20, 30});
  r.set(3, 2, {200, 100, 50});
  auto p = std::filesystem::temp_directory_path() / ("axon-raster-" + std::to_string(::getpid()) + ".png");
  axon::write_png(r, p.string());
  // An independent decoder (Python's zlib + the PNG spec) via skimage.
  std::string cmd = "/usr/bin/python3 -c \"import sys, skimage.io as io; a = io.imread(sys.argv[1]); "
                    "sys.exit(0 if a.shape == (5, 7, 3) and tuple(a[2, 3]) == (200, 100, 50) and tuple(a[0, 0]) == (10, 20, 30) else 1)\" " +
                    p.string();
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::filesystem::remove(p);
}
