#include "axon/io/label_table.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "axon/core/error.hpp"
#include "axon/io/tsv.hpp"

namespace axon {

std::string LabelTable::name_of(int32_t label) const {
  auto it = names.find(label);
  return it == names.end() ? prefix + std::to_string(label) : it->second;
}

namespace {
// A label value: an integer that fits int32 (label images are read as
// int32). "4294967297" is not label 1.
bool parse_label(const std::string& s, int32_t& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE || v < std::numeric_limits<int32_t>::min() ||
      v > std::numeric_limits<int32_t>::max())
    return false;
  out = static_cast<int32_t>(v);
  return true;
}
}  // namespace

LabelTable read_label_table(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the label table");
  std::string first;
  std::getline(in, first);
  if (!first.empty() && first.back() == '\r') first.pop_back();
  LabelTable table;

  // BIDS dseg.tsv: a header with "index" and "name".
  if (first.find('\t') != std::string::npos && first.find("index") != std::string::npos &&
      first.find("name") != std::string::npos) {
    Table t = read_tsv(path);
    if (!t.has_column("index") || !t.has_column("name"))
      throw InputError(path, "a dseg.tsv label table needs 'index' and 'name' columns");
    size_t ci = t.column_index("index"), cn = t.column_index("name");
    for (size_t r = 0; r < t.rows.size(); ++r) {
      int32_t label;
      if (!parse_label(t.rows[r][ci], label))
        throw InputError(path, "row " + std::to_string(r + 1) + ": index '" + t.rows[r][ci] + "' is not an integer");
      if (label != 0) table.names[label] = t.rows[r][cn];
    }
    return table;
  }

  // "index name [code]" lines.
  in.clear();
  in.seekg(0);
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::string index_text, name;
    size_t sep = line.find_first_of(" \t");
    if (sep == std::string::npos)
      throw InputError(path, "line " + std::to_string(lineno) + ": expected 'index name', found '" + line + "'");
    index_text = line.substr(0, sep);
    // A tab-separated line keeps the whole second field (names may hold spaces);
    // a space-separated one takes the second word (a third may be a code).
    if (line[sep] == '\t') {
      size_t next = line.find('\t', sep + 1);
      name = line.substr(sep + 1, next == std::string::npos ? std::string::npos : next - sep - 1);
    } else {
      std::istringstream words(line.substr(sep + 1));
      words >> name;
    }
    int32_t label;
    if (!parse_label(index_text, label))
      throw InputError(path, "line " + std::to_string(lineno) + ": '" + index_text + "' is not an integer label");
    if (label != 0) table.names[label] = name;
  }
  if (table.names.empty()) throw InputError(path, "label table lists no labels");
  return table;
}

}  // namespace axon
