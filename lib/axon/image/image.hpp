#pragma once
// An image in memory: its header plus voxels as T, x fastest, then y, z, t
// (NIfTI order). Voxels read from disk have scl_slope/scl_inter applied.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "axon/image/header.hpp"

namespace axon {

template <class T>
struct Image {
  ImageHeader header;
  std::vector<T> data;

  int64_t nx() const { return header.nx(); }
  int64_t ny() const { return header.ny(); }
  int64_t nz() const { return header.nz(); }
  int64_t nt() const { return header.nt(); }
  int64_t voxels_per_volume() const { return header.voxels_per_volume(); }
  std::size_t index(int64_t i, int64_t j, int64_t k, int64_t t = 0) const {
    return static_cast<std::size_t>(((t * nz() + k) * ny() + j) * nx() + i);
  }
  T& at(int64_t i, int64_t j, int64_t k, int64_t t = 0) { return data[index(i, j, k, t)]; }
  const T& at(int64_t i, int64_t j, int64_t k, int64_t t = 0) const { return data[index(i, j, k, t)]; }
  T* volume(int64_t t) { return data.data() + t * voxels_per_volume(); }
  const T* volume(int64_t t) const { return data.data() + t * voxels_per_volume(); }
};

// A new image on the same grid as `like` (same header, `volumes` volumes),
// with voxels of type T set to `value` and the given on-disk datatype.
template <class T, class U>
Image<T> image_like(const Image<U>& like, DataType datatype, int64_t volumes = 1, T value = T{}) {
  Image<T> out;
  out.header = like.header;
  out.header.set_volumes(volumes);
  out.header.datatype = static_cast<int>(datatype);
  out.header.scl_slope = 0;
  out.header.scl_inter = 0;
  out.header.intent_code = 0;
  out.data.assign(static_cast<std::size_t>(like.voxels_per_volume() * volumes), value);
  return out;
}

}  // namespace axon
