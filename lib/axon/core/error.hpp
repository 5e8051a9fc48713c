#pragma once
// The one way axon reports failure. Every error carries the exit code the
// executable returns (see docs/conventions.md), and its message names the
// file and the problem so that one line on stderr is enough.
#include <stdexcept>
#include <string>

namespace axon {

enum class ExitCode : int {
  ok = 0,
  other = 1,          // anything not covered below (a bug, out of memory)
  usage = 2,          // bad command line: unknown option, missing argument
  invalid_input = 3,  // unreadable or unsuitable input data
  output = 4,         // an output cannot be written (or exists without --force)
  interrupted = 130,  // SIGINT/SIGTERM: outputs in flight were removed
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// Bad command line.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(ExitCode::usage, message) {}
};

// Input data that cannot be used; the message starts with the file's path.
class InputError : public Error {
 public:
  InputError(const std::string& path, const std::string& problem)
      : Error(ExitCode::invalid_input, path.empty() ? problem : path + ": " + problem) {}
};

// An output that cannot be written; the message starts with the file's path.
class OutputError : public Error {
 public:
  OutputError(const std::string& path, const std::string& problem)
      : Error(ExitCode::output, path.empty() ? problem : path + ": " + problem) {}
};

}  // namespace axon
