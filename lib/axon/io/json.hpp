#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace axon {
nlohmann::json read_json(const std::string& path);                       // throws InputError
void write_json(const nlohmann::json& value, const std::string& path);  // throws OutputError
}  // namespace axon
