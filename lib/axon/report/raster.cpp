#include "axon/report/raster.hpp"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "axon/core/error.hpp"

namespace axon {

Raster::Raster(int width, int height, Color background) : width_(width), height_(height) {
  if (width < 1 || height < 1) throw Error(ExitCode::other, "internal error: empty raster");
  rgb_.resize(static_cast<size_t>(width) * height * 3);
  for (size_t i = 0; i < rgb_.size(); i += 3) {
    rgb_[i] = background.r;
    rgb_[i + 1] = background.g;
    rgb_[i + 2] = background.b;
  }
}

void Raster::set(int x, int y, Color c) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  size_t i = (static_cast<size_t>(y) * width_ + x) * 3;
  rgb_[i] = c.r;
  rgb_[i + 1] = c.g;
  rgb_[i + 2] = c.b;
}

Color Raster::get(int x, int y) const {
  size_t i = (static_cast<size_t>(y) * width_ + x) * 3;
  return {rgb_[i], rgb_[i + 1], rgb_[i + 2]};
}

void Raster::fill_rect(int x, int y, int w, int h, Color c) {
  for (int yy = std::max(0, y); yy < std::min(height_, y + h); ++yy)
    for (int xx = std::max(0, x); xx < std::min(width_, x + w); ++xx) set(xx, yy, c);
}

void Raster::line(int x0, int y0, int x1, int y1, Color c) {
  int dx = std::abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
  int dy = -std::abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
  int err = dx + dy;
  while (true) {
    set(x0, y0, c);
    if (x0 == x1 && y0 == y1) break;
    int e2 = 2 * err;
    if (e2 >= dy) { err += dy; x0 += sx; }
    if (e2 <= dx) { err += dx; y0 += sy; }
  }
}

namespace {
std::uint8_t to_byte(double v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); }
}  // namespace

Color gray_map(double v) {
  if (std::isnan(v)) return {128, 128, 128};
  auto g = to_byte(v);
  return {g, g, g};
}

Color diverging_map(double v) {
  if (std::isnan(v)) return {128, 128, 128};
  v = std::clamp(v, 0.0, 1.0);
  // Linear blue (0.13, 0.40, 0.67) -> white -> red (0.70, 0.09, 0.17), after
  // ColorBrewer's RdBu end points.
  const double lo[3] = {0.13, 0.40, 0.67}, hi[3] = {0.70, 0.09, 0.17};
  double c[3];
  for (int k = 0; k < 3; ++k)
    c[k] = v < 0.5 ? lo[k] + (1.0 - lo[k]) * (v / 0.5) : 1.0 + (hi[k] - 1.0) * ((v - 0.5) / 0.5);
  return {to_byte(c[0]), to_byte(c[1]), to_byte(c[2])};
}

void write_png(const Raster& raster, const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!f) throw OutputError(path, "cannot open for writing");
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_write_struct(&png, &info);
    throw OutputError(path, "cannot initialise the PNG writer");
  }
  // libpng reports errors by longjmp; no C++ objects with destructors are
  // created between here and the end of the writing.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw OutputError(path, "PNG write failed");
  }
  png_init_io(png, f.get());
  png_set_IHDR(png, info, static_cast<png_uint_32>(raster.width()), static_cast<png_uint_32>(raster.height()), 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const auto& rgb = raster.rgb();
  for (int y = 0; y < raster.height(); ++y)
    png_write_row(png, const_cast<png_bytep>(rgb.data() + static_cast<size_t>(y) * raster.width() * 3));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
}

}  // namespace axon
