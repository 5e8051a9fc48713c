#include "axon/group/matrix_files.hpp"

#include <glob.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "axon/core/error.hpp"
#include "axon/io/tsv.hpp"

namespace axon::group {
namespace {

std::vector<std::string> expand(const std::string& entry) {
  std::vector<std::string> out;
  if (entry.find_first_of("*?[") != std::string::npos) {
    glob_t g{};
    if (::glob(entry.c_str(), 0, nullptr, &g) == 0)
      for (std::size_t i = 0; i < g.gl_pathc; ++i) out.push_back(g.gl_pathv[i]);
    ::globfree(&g);
    if (out.empty()) throw InputError(entry, "no file matches this pattern");
    std::sort(out.begin(), out.end());
    return out;
  }
  const std::string ext = std::filesystem::path(entry).extension().string();
  if (ext == ".txt" || ext == ".lst") {
    std::ifstream in(entry);
    if (!in) throw InputError(entry, "cannot read the list of files");
    std::string line;
    const auto dir = std::filesystem::path(entry).parent_path();
    while (std::getline(in, line)) {
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (line.empty() || line[0] == '#') continue;
      const std::filesystem::path p(line);
      out.push_back(p.is_absolute() ? line : (dir / p).string());
    }
    if (out.empty()) throw InputError(entry, "the list names no file");
    return out;
  }
  return {entry};
}

}  // namespace

std::string subject_of_path(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  const auto pos = name.find("sub-");
  if (pos != std::string::npos && (pos == 0 || name[pos - 1] == '_')) {
    const auto end = name.find_first_of("_.", pos);
    return name.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  }
  return name.substr(0, name.find('.'));
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& entries) {
  std::vector<std::string> paths;
  for (const auto& e : entries)
    for (const auto& p : expand(e)) paths.push_back(p);
  if (paths.empty()) throw InputError("", "no input files given");
  return paths;
}

MatrixSet read_matrix_set(const std::vector<std::string>& entries) {
  MatrixSet s;
  s.paths = expand_inputs(entries);
  std::set<std::string> seen;
  for (const auto& path : s.paths) {
    const Table t = read_tsv(path);
    const Eigen::Index p = static_cast<Eigen::Index>(t.columns.size());
    if (p < 2 || static_cast<Eigen::Index>(t.rows.size()) != p)
      throw InputError(path, "not a square matrix with a header row (" + std::to_string(t.rows.size()) + " rows, " +
                                 std::to_string(p) + " columns)");
    if (s.matrices.empty()) s.labels = t.columns;
    else if (t.columns.size() != s.labels.size())
      throw InputError(path, std::to_string(p) + " labels where " + s.paths[0] + " has " +
                                 std::to_string(s.labels.size()));
    else if (t.columns != s.labels)
      throw InputError(path, "labels differ in name or order from " + s.paths[0]);
    Eigen::MatrixXd m(p, p);
    for (Eigen::Index j = 0; j < p; ++j) {
      const std::vector<double> col = t.numeric(t.columns[j], path);
      for (Eigen::Index i = 0; i < p; ++i) m(i, j) = col[i];
    }
    const std::string subject = subject_of_path(path);
    if (!seen.insert(subject).second) throw InputError(path, "a second matrix for subject " + subject);
    s.subjects.push_back(subject);
    s.matrices.push_back(std::move(m));
  }
  return s;
}

Eigen::MatrixXd upper_triangle_features(const std::vector<Eigen::MatrixXd>& mats) {
  const Eigen::Index p = mats.empty() ? 0 : mats[0].rows();
  Eigen::MatrixXd f(static_cast<Eigen::Index>(mats.size()), p * (p - 1) / 2);
  for (std::size_t s = 0; s < mats.size(); ++s) {
    Eigen::Index e = 0;
    for (Eigen::Index i = 0; i < p; ++i)
      for (Eigen::Index j = i + 1; j < p; ++j) f(static_cast<Eigen::Index>(s), e++) = mats[s](i, j);
  }
  return f;
}

Eigen::MatrixXd from_upper_triangle(const Eigen::VectorXd& edges, Eigen::Index p, double diagonal) {
  Eigen::MatrixXd m = Eigen::MatrixXd::Constant(p, p, diagonal);
  Eigen::Index e = 0;
  for (Eigen::Index i = 0; i < p; ++i)
    for (Eigen::Index j = i + 1; j < p; ++j) m(i, j) = m(j, i) = edges[e++];
  return m;
}

}  // namespace axon::group
