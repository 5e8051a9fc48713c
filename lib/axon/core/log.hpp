#pragma once
// Messages on stderr, prefixed with the executable's name. The verbosity is
// set once by the command layer before a command runs.
#include <string>

namespace axon::log {

enum class Level { quiet = 0, normal = 1, verbose = 2 };

void set_program(const std::string& name);
const std::string& program();
void set_level(Level level);
Level level();

void warn(const std::string& message);   // shown unless --quiet
void info(const std::string& message);   // shown with --verbose
void error(const std::string& message);  // always shown: "axon-X: error: ..."

}  // namespace axon::log
