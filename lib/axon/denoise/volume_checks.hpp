#pragma once
// Input checks shared by the axon-denoise commands.
#include <string>

#include "axon/image/image.hpp"

namespace axon::denoise {

// Throws InputError naming `path` at the first NaN or infinite voxel.
void require_finite(const Image<float>& image, const std::string& path);

}  // namespace axon::denoise
