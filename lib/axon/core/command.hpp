#pragma once
// The declarative command layer every axon executable is built on (after
// MRtrix3's usage/run split). A subcommand declares its synopsis, typed
// positional arguments and options with their defaults, and one run
// function; from that one declaration come --help, validation with uniform
// messages, the standard options (--threads, --seed, -v, -q, --json,
// --force, --progress, --version), the machine-readable description used by
// axon-pipeline (--describe), provenance and the exit-code policy.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace axon::cli {

// What a value is, so that validation and pipelines can treat it right.
enum class ValueKind { flag, text, integer, real, choice, input_file, output_file };

struct OptionSpec {
  std::string name;        // long name without dashes: "interp"
  char short_name = 0;     // optional one-letter alias
  ValueKind kind = ValueKind::text;
  std::string meta;        // placeholder in help: "REF"
  std::string help;
  std::optional<std::string> default_value;  // textual, shown in --help
  std::vector<std::string> choices;          // for ValueKind::choice
  bool required = false;
  bool multiple = false;  // may be given several times / takes several values
};

struct PositionalSpec {
  std::string name;  // "IN"
  ValueKind kind = ValueKind::text;
  std::string help;
  bool multiple = false;  // only the last positional may take several values
  bool optional = false;
};

// Builders that keep declarations short and complete.
OptionSpec flag(std::string name, std::string help, char short_name = 0);
OptionSpec value(ValueKind kind, std::string name, std::string meta, std::string help,
                 std::optional<std::string> default_value = std::nullopt);
OptionSpec choice(std::string name, std::vector<std::string> choices, std::string default_value, std::string help);
OptionSpec required(OptionSpec spec);  // the same option, marked required
OptionSpec repeated(OptionSpec spec);  // the same option, taking several values
PositionalSpec argument(std::string name, ValueKind kind, std::string help);
PositionalSpec optional_argument(std::string name, ValueKind kind, std::string help);
PositionalSpec arguments(std::string name, ValueKind kind, std::string help);  // one or more

// The parsed values of one invocation, with typed, validated accessors.
class Args {
 public:
  bool has(const std::string& name) const;  // given on the command line or defaulted
  std::string text(const std::string& name) const;
  long long integer(const std::string& name) const;
  double real(const std::string& name) const;
  bool flag(const std::string& name) const;
  std::vector<std::string> list(const std::string& name) const;
  std::optional<std::string> maybe_text(const std::string& name) const;
  // Every option and positional with its value, for provenance.
  nlohmann::json to_json() const;

  // Filled by the parser.
  std::map<std::string, std::vector<std::string>> values;
  std::map<std::string, const OptionSpec*> option_specs;
};

// The standard options, resolved, plus what the command reports back.
struct Context {
  std::string tool;     // "axon-image"
  std::string command;  // "resample"
  std::vector<std::string> argv;
  int threads = 1;
  std::uint64_t seed = 0;
  bool json = false;
  bool force = false;
  bool verbose = false;
  bool quiet = false;
  std::vector<std::string> input_paths;  // every input_file value, in order
  nlohmann::json parameters;             // Args::to_json()
  nlohmann::json summary = nlohmann::json::object();  // printed with --json

  std::string command_line() const;  // argv, shell-quoted
  // The provenance record written into every output's JSON sidecar.
  nlohmann::json provenance() const;
  // Starts hashing input_paths on a background thread (when threads >= 2),
  // so that provenance() at the end of a run does not re-read a large
  // input after the work; the digests are the same either way.
  void start_checksums();

 private:
  struct PendingChecksums;
  std::shared_ptr<PendingChecksums> pending_checksums_;
  mutable std::map<std::string, std::string> checksum_cache_;  // path -> SHA-256
};

class Command {
 public:
  using RunFunction = std::function<void(const Args&, Context&)>;

  Command(std::string name, std::string summary);
  Command& synopsis(std::string text);     // "IN OUT --like REF [options]"
  Command& description(std::string text);  // paragraphs for --help
  Command& example(std::string command_line, std::string what);
  Command& positional(PositionalSpec spec);
  Command& option(OptionSpec spec);
  Command& run(RunFunction fn);

  const std::string& name() const { return name_; }
  const std::string& summary() const { return summary_; }
  std::string help(const std::string& tool) const;
  nlohmann::json describe() const;  // the declaration as JSON

 private:
  friend class Tool;
  std::string name_, summary_, synopsis_, description_;
  std::vector<std::pair<std::string, std::string>> examples_;
  std::vector<PositionalSpec> positionals_;
  std::vector<OptionSpec> options_;
  RunFunction run_;
};

class Tool {
 public:
  Tool(std::string name, std::string summary);
  Tool& add(Command command);
  // Parses argv, runs the command, prints errors, returns the exit code.
  // Never throws.
  int main(int argc, char** argv);
  std::string help() const;

 private:
  int dispatch(const std::vector<std::string>& argv);
  std::string name_, summary_;
  std::vector<Command> commands_;
};

// Help text and declarations of the standard options every command gets.
const std::vector<OptionSpec>& standard_options();

}  // namespace axon::cli
