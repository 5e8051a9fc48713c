#pragma once
// Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.cpp): the input goes
// to a file in /dev/shm and the real public reader opens it by name, so the
// harnesses fuzz exactly what a user's file reaches. A reader may refuse an
// input only with axon's own error type (axon::Error: InputError and its
// kin, exit codes 1-4); any other exception, a crash, a sanitizer report or
// a hang is a bug that the fuzzer reports.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "axon/core/error.hpp"

namespace axon::fuzz {

// A file in a per-process folder under $AXON_FUZZ_TMP (default /dev/shm:
// memory, not disk). The name's ending decides how a reader treats it
// (.nii, .nii.gz, .tsv ...); files beside it (a model card's network) go in
// the same folder, which is removed when the process exits normally (after
// a crash bench/fuzz.sh removes $AXON_FUZZ_TMP).
inline std::string& scratch_folder() {
  static std::string folder;
  return folder;
}

inline std::string scratch_path(const std::string& name) {
  if (scratch_folder().empty()) {
    const char* base = std::getenv("AXON_FUZZ_TMP");
    scratch_folder() = std::string(base && *base ? base : "/dev/shm") + "/axon-fuzz-" + std::to_string(::getpid());
    std::filesystem::create_directories(scratch_folder());
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_folder(), ec);
    });
  }
  return scratch_folder() + "/" + name;
}

inline void write_file(const std::string& path, const uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::perror(path.c_str());
    std::abort();  // the harness itself cannot work: not an input problem
  }
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

// Runs `read`; axon::Error is a clean refusal (returns false), anything
// else that escapes is reported as a crash with its message.
template <class F>
bool refuses_cleanly(F&& read) {
  try {
    read();
    return true;
  } catch (const axon::Error&) {
    return false;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "==axon-fuzz== uncaught exception that is not axon::Error: %s\n", e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "==axon-fuzz== uncaught exception of unknown type\n");
    std::abort();
  }
}

// A property the harness checks failed: report it as a crash.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "==axon-fuzz== %s\n", what.c_str());
  std::abort();
}

}  // namespace axon::fuzz
