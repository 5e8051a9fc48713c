#pragma once
// A small RGB raster for the figures axon writes (carpet plots, matrices,
// slice overlays), written as PNG through libpng. No display, no fonts:
// figures carry their labels in the JSON sidecar or the HTML report.
#include <cstdint>
#include <string>
#include <vector>

namespace axon {

struct Color {
  std::uint8_t r = 0, g = 0, b = 0;
};

class Raster {
 public:
  Raster(int width, int height, Color background = {255, 255, 255});
  int width() const { return width_; }
  int height() const { return height_; }
  void set(int x, int y, Color c);  // outside the raster: ignored
  Color get(int x, int y) const;
  void fill_rect(int x, int y, int w, int h, Color c);
  void line(int x0, int y0, int x1, int y1, Color c);  // Bresenham
  const std::vector<std::uint8_t>& rgb() const { return rgb_; }

 private:
  int width_, height_;
  std::vector<std::uint8_t> rgb_;  // row-major, top row first
};

// Colour maps on [0, 1] (values outside are clamped; NaN is mid-grey).
Color gray_map(double v);
// Blue (0) - white (0.5) - red (1), for correlations mapped from [-1, 1].
Color diverging_map(double v);

// Writes an 8-bit RGB PNG. Throws OutputError naming the path.
void write_png(const Raster& raster, const std::string& path);

}  // namespace axon
