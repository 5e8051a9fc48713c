#include "axon/core/input_names.hpp"

#include <sys/stat.h>

namespace axon::cli {
namespace {
InputNameResolver& installed() {
  static InputNameResolver resolver;
  return resolver;
}
}  // namespace

void set_input_name_resolver(InputNameResolver resolver) { installed() = std::move(resolver); }

std::string resolve_input_name(const std::string& given) {
  struct stat st {};
  if (!installed() || stat(given.c_str(), &st) == 0) return given;
  if (auto path = installed()(given)) return *path;
  return given;
}

}  // namespace axon::cli
