#pragma once
// BIDS-style tab-separated tables: a header row, one row per line, "n/a"
// for missing values (read as NaN in numeric columns).
#include <string>
#include <vector>

namespace axon {

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // rows[r][c], as text

  std::size_t column_index(const std::string& name) const;  // throws if absent
  bool has_column(const std::string& name) const;
  // A numeric column; "n/a" (and empty) give NaN, other text is an error.
  std::vector<double> numeric(const std::string& name, const std::string& path_for_errors = "") const;
  void add_column(const std::string& name, const std::vector<double>& values);  // NaN -> "n/a"
};

Table read_tsv(const std::string& path);  // throws InputError
void write_tsv(const Table& table, const std::string& path);  // throws OutputError
// Formats a number so that it reads back exactly (shortest round-trip
// form); NaN gives "n/a".
std::string format_number(double value);
// A number with a fixed count of decimals for terminal tables ("%.*f":
// "inf", "-inf" and "nan" as printf writes them).
std::string format_fixed(double value, int decimals);

}  // namespace axon
