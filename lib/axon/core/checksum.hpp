#pragma once
#include <string>

namespace axon {
// SHA-256 of a file's bytes as lower-case hex (OpenSSL). Throws InputError.
std::string sha256_file(const std::string& path);
}  // namespace axon
