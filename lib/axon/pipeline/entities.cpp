#include "axon/pipeline/entities.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include "axon/pipeline/pipeline_file.hpp"
#include "axon/pipeline/template.hpp"

namespace axon::pipeline {
namespace fs = std::filesystem;

std::vector<std::string> list_files(const std::string& root) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::follow_directory_symlink, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) files.push_back(fs::relative(it->path(), root, ec).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<Entities> match_template(const std::string& path_template, const std::vector<std::string>& files) {
  std::vector<std::string> order;
  const std::regex re(template_regex(path_template, order));
  std::set<Entities> found;
  std::smatch m;
  for (const auto& f : files) {
    if (!std::regex_match(f, m, re)) continue;
    Entities e;
    for (size_t k = 0; k < order.size(); ++k)
      if (m[k + 1].matched) e[order[k]] = m[k + 1].str();  // an optional entity may be absent
    found.insert(e);
  }
  return {found.begin(), found.end()};
}

std::vector<Entities> join(const std::vector<Entities>& a, const std::vector<Entities>& b) {
  std::set<Entities> out;
  for (const auto& x : a)
    for (const auto& y : b) {
      bool agree = true;
      for (const auto& [k, v] : y) {
        auto it = x.find(k);
        if (it != x.end() && it->second != v) agree = false;
      }
      if (!agree) continue;
      Entities merged = x;
      merged.insert(y.begin(), y.end());
      out.insert(merged);
    }
  return {out.begin(), out.end()};
}

Entities project(const Entities& e, const std::vector<std::string>& names) {
  Entities out;
  for (const auto& n : names) {
    auto it = e.find(n);
    if (it != e.end()) out[n] = it->second;
  }
  return out;
}

std::string entity_chain(const Entities& e) {
  std::string s;
  for (const auto& [name, key] : entity_keys()) {
    auto it = e.find(name);
    if (it != e.end()) s += (s.empty() ? "" : "_") + key + "-" + it->second;
  }
  return s;
}

}  // namespace axon::pipeline
