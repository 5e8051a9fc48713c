#pragma once
// A multi-channel volume in the layout the networks take: channel, then z,
// y, x, x fastest (C-contiguous (C, Z, Y, X), the same voxel order as an
// axon::Image, so one channel's block is an image volume's data as is).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace axon::learn {

struct TensorVolume {
  int64_t channels = 0, nz = 0, ny = 0, nx = 0;
  std::vector<float> data;

  TensorVolume() = default;
  TensorVolume(int64_t c, int64_t z, int64_t y, int64_t x, float value = 0.f)
      : channels(c), nz(z), ny(y), nx(x), data(static_cast<std::size_t>(c * z * y * x), value) {}
  int64_t voxels() const { return nz * ny * nx; }
  float* channel(int64_t c) { return data.data() + c * voxels(); }
  const float* channel(int64_t c) const { return data.data() + c * voxels(); }
  std::size_t index(int64_t c, int64_t z, int64_t y, int64_t x) const {
    return static_cast<std::size_t>(((c * nz + z) * ny + y) * nx + x);
  }
};

}  // namespace axon::learn
