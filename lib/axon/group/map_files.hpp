#pragma once
// A group's voxel maps (e.g. the degree or ReHo maps `axon-connectivity
// voxel` writes) as classification features: one or more map kinds per
// subject, all on one mask's grid; a subject's features are its in-mask
// voxel values, kind after kind. Held as float32 (subjects x kinds x
// voxels), the maps' own precision.
#include <Eigen/Core>
#include <string>
#include <vector>

#include "axon/image/mask.hpp"

namespace axon::group {

struct MapSet {
  std::vector<std::string> subjects;            // in order of first appearance
  std::vector<std::string> kinds;               // sorted: file names less the sub-<id> entity
  std::vector<std::vector<std::string>> paths;  // [subject][kind]
  Eigen::MatrixXf features;                     // subjects x (kinds x mask voxels), kind-major
};

// `entries` as for expand_inputs (paths, globs, list files). A file's
// subject is its sub-<id> entity (else its stem); its kind is its file name
// with that entity removed, so `sub-01_task-rest_stat-degree_boldmap.nii.gz`
// and `sub-01_task-rest_stat-reho_boldmap.nii.gz` are two kinds of subject
// sub-01. InputError (exit 3) naming the file: not a 3D image, not on the
// mask's grid, non-finite values inside the mask, a second map of one kind
// for a subject, a subject lacking a kind that others have.
MapSet read_map_set(const std::vector<std::string>& entries, const Mask& mask, const std::string& mask_path);

}  // namespace axon::group
