#pragma once
// Names that stand for input files. An executable may install one resolver
// in main() before Tool::main: every value of an input-file argument that is
// not an existing file is offered to it, and when it returns a path that path
// replaces the name before validation, provenance and the command see it.
// axon-register, axon-image and axon-segment install the template registry
// (io/template_registry.hpp), so `colin27` is accepted wherever they take an
// input image. Kept out of command.hpp so that the hook does not make every
// command recompile.
#include <functional>
#include <optional>
#include <string>

namespace axon::cli {

using InputNameResolver = std::function<std::optional<std::string>(const std::string& given)>;

void set_input_name_resolver(InputNameResolver resolver);

// The path `given` stands for: `given` itself when it exists or no resolver
// is installed or the resolver does not know it.
std::string resolve_input_name(const std::string& given);

}  // namespace axon::cli
