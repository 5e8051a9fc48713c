#include "axon/group/map_files.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "axon/core/error.hpp"
#include "axon/group/matrix_files.hpp"
#include "axon/image/grid.hpp"
#include "axon/io/masked_series.hpp"
#include "axon/io/nifti.hpp"

namespace axon::group {
namespace {

// The file name less its sub-<id> entity (and the separator after it).
std::string kind_of(const std::string& path, const std::string& subject) {
  std::string name = std::filesystem::path(path).filename().string();
  if (subject.rfind("sub-", 0) != 0) return "";
  const auto pos = name.find(subject);
  std::size_t end = pos + subject.size();
  if (end < name.size() && name[end] == '_') ++end;
  return name.erase(pos, end - pos);
}

}  // namespace

MapSet read_map_set(const std::vector<std::string>& entries, const Mask& mask, const std::string& mask_path) {
  MapSet s;
  std::map<std::string, std::size_t> row_of;            // subject -> row
  std::vector<std::map<std::string, std::string>> of;   // per subject: kind -> path
  for (const auto& path : expand_inputs(entries)) {
    const std::string subject = subject_of_path(path), kind = kind_of(path, subject);
    auto it = row_of.find(subject);
    if (it == row_of.end()) {
      it = row_of.emplace(subject, s.subjects.size()).first;
      s.subjects.push_back(subject);
      of.emplace_back();
    }
    if (!of[it->second].emplace(kind, path).second)
      throw InputError(path, "a second map" + (kind.empty() ? "" : " of kind '" + kind + "'") + " for subject " +
                                 subject + " (with several map kinds, name files by their sub-<id> entity)");
  }
  for (const auto& [kind, path] : of[0]) s.kinds.push_back(kind);
  for (std::size_t r = 0; r < of.size(); ++r) {
    for (const auto& [kind, path] : of[r])
      if (!of[0].count(kind))
        throw InputError(path, "subject " + s.subjects[0] + " has no map of this kind: every subject needs the same maps");
    std::vector<std::string> paths;
    for (const auto& kind : s.kinds) {
      auto it = of[r].find(kind);
      if (it == of[r].end())
        throw InputError(of[r].begin()->second, "subject " + s.subjects[r] + " has no map of kind '" + kind +
                                                    "': every subject needs the same maps");
      paths.push_back(it->second);
    }
    s.paths.push_back(std::move(paths));
  }
  const Eigen::Index voxels = static_cast<Eigen::Index>(mask.count());
  const Eigen::Index kinds = static_cast<Eigen::Index>(s.kinds.size());
  s.features.resize(static_cast<Eigen::Index>(s.subjects.size()), kinds * voxels);
  for (std::size_t r = 0; r < s.paths.size(); ++r)
    for (Eigen::Index k = 0; k < kinds; ++k) {
      const std::string& path = s.paths[r][static_cast<std::size_t>(k)];
      const ImageHeader header = read_header(path);
      if (header.nt() != 1) throw InputError(path, "a map must be a 3D image (" + std::to_string(header.nt()) + " volumes)");
      require_same_grid(mask.grid, mask_path, grid_of(header), path);
      const Eigen::MatrixXf values = read_masked_series(path, mask);
      if (!values.allFinite()) throw InputError(path, "non-finite values inside the mask");
      s.features.row(static_cast<Eigen::Index>(r)).segment(k * voxels, voxels) = values.col(0).transpose();
    }
  return s;
}

}  // namespace axon::group
