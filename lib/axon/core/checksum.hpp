#pragma once
#include <atomic>
#include <string>

namespace axon {
// SHA-256 of a file's bytes as lower-case hex (OpenSSL). Throws InputError.
// Empty when *cancel becomes true while it reads (checked between 1 MiB
// chunks), so a background hash can be stopped quickly.
std::string sha256_file(const std::string& path, const std::atomic<bool>* cancel = nullptr);
}  // namespace axon
