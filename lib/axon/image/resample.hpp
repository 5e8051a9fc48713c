#pragma once
// Resampling an image onto another image's grid (world coordinates match;
// no registration), through ITK's ResampleImageFilter.
#include <string>

#include "axon/image/image.hpp"

namespace axon {

enum class Interpolation { nearest, linear, bspline };
Interpolation parse_interpolation(const std::string& name);  // "nearest" | "linear" | "bspline"

// Every volume of `source` resampled onto the grid described by
// `target_header`. The output keeps the source's datatype, scaling, intent
// and time axis and takes the target's dims, pixdim[1..3], both transforms
// and their codes verbatim. Voxels outside the source get `outside`.
template <class T>
Image<T> resample_like(const Image<T>& source, const ImageHeader& target_header, Interpolation interpolation,
                       T outside = T{});

}  // namespace axon
