#include "axon/io/tsv.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "axon/core/error.hpp"

namespace axon {
namespace {
std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}
}  // namespace

std::size_t Table::column_index(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  throw InputError("", "table has no column '" + name + "'");
}

bool Table::has_column(const std::string& name) const {
  for (const auto& c : columns)
    if (c == name) return true;
  return false;
}

std::vector<double> Table::numeric(const std::string& name, const std::string& path) const {
  if (!has_column(name)) throw InputError(path, "no column '" + name + "'");
  size_t c = column_index(name);
  std::vector<double> out;
  out.reserve(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::string& s = rows[r][c];
    if (s.empty() || s == "n/a" || s == "NaN" || s == "nan") {
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (*end != '\0')
      throw InputError(path, "column '" + name + "' row " + std::to_string(r + 1) + ": '" + s + "' is not a number");
    out.push_back(v);
  }
  return out;
}

void Table::add_column(const std::string& name, const std::vector<double>& values) {
  if (rows.empty()) rows.resize(values.size());
  if (rows.size() != values.size()) throw Error(ExitCode::other, "internal error: column '" + name + "' has the wrong length");
  columns.push_back(name);
  for (size_t r = 0; r < values.size(); ++r) rows[r].push_back(format_number(values[r]));
}

Table read_tsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open");
  Table t;
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto fields = split_tabs(line);
    if (t.columns.empty()) {
      t.columns = fields;
      continue;
    }
    if (fields.size() != t.columns.size())
      throw InputError(path, "line " + std::to_string(lineno) + " has " + std::to_string(fields.size()) +
                                 " fields, the header has " + std::to_string(t.columns.size()));
    t.rows.push_back(std::move(fields));
  }
  if (t.columns.empty()) throw InputError(path, "empty table (no header row)");
  return t;
}

void write_tsv(const Table& table, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw OutputError(path, "cannot open for writing");
  auto write_row = [&out](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out << (i ? "\t" : "") << fields[i];
    out << "\n";
  };
  write_row(table.columns);
  for (const auto& r : table.rows) write_row(r);
  out.close();
  if (!out) throw OutputError(path, "write failed");
}

std::string format_number(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

std::string format_fixed(double v, int decimals) {
  char buf[512];  // "%.*f" of 1e308 with a few decimals fits
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace axon
