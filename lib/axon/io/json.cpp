#include "axon/io/json.hpp"

#include <fstream>

#include "axon/core/error.hpp"

namespace axon {

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e999
    throw InputError(path, std::string("invalid JSON: ") + e.what());
  }
}

void write_json(const nlohmann::json& value, const std::string& path) {
  std::ofstream out(path);
  if (!out) throw OutputError(path, "cannot open for writing");
  out << value.dump(2) << "\n";
  out.close();
  if (!out) throw OutputError(path, "write failed");
}

}  // namespace axon
