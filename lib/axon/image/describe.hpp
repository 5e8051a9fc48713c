#pragma once
// A summary of an image file: grid, datatype, orientation, timing, both
// transforms with their codes and (optionally) the range of its values.
#include <string>

#include <nlohmann/json.hpp>

namespace axon {

// With `values`, streams the voxels to add min/max/mean and the number of
// non-finite voxels.
nlohmann::json describe_image(const std::string& path, bool values);
// The same summary as readable text (one "key: value" line each).
std::string describe_as_text(const nlohmann::json& summary);

}  // namespace axon
