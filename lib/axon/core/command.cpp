#include "axon/core/command.hpp"
#include "axon/core/input_names.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "axon/core/atomic_output.hpp"
#include "axon/core/checksum.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/core/progress.hpp"
#include "axon/core/shell.hpp"
#include "axon/core/threads.hpp"
#include "axon/core/version.hpp"

namespace axon::cli {
namespace po = boost::program_options;

// ---------------------------------------------------------------- standard

const std::vector<OptionSpec>& standard_options() {
  static const std::vector<OptionSpec> specs = [] {
    return std::vector<OptionSpec>{
        value(ValueKind::integer, "threads", "N",
              "threads to use (default: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK or NSLOTS if set, else all cores); "
              "outputs are identical for any N"),
        value(ValueKind::integer, "seed", "S", "seed for every random choice (same seed, same output)", "42"),
        flag("verbose", "more messages on stderr", 'v'),
        flag("quiet", "no warnings, no progress; errors only", 'q'),
        flag("json", "print one JSON summary object on stdout"),
        flag("force", "overwrite existing outputs"),
        flag("progress", "show a progress bar even when stderr is not a terminal"),
        flag("help", "show this help and exit", 'h'),
        flag("version", "show the version and exit"),
        flag("describe", "print this command's declaration as JSON and exit"),
    };
  }();
  return specs;
}

namespace {

const char* kind_name(ValueKind k) {
  switch (k) {
    case ValueKind::flag: return "flag";
    case ValueKind::text: return "text";
    case ValueKind::integer: return "integer";
    case ValueKind::real: return "real";
    case ValueKind::choice: return "choice";
    case ValueKind::input_file: return "input_file";
    case ValueKind::output_file: return "output_file";
  }
  return "text";
}

std::string names_of(const OptionSpec& o) {
  std::string s = "--" + o.name;
  if (o.short_name) s = std::string("-") + o.short_name + ", " + s;
  if (o.kind != ValueKind::flag) s += " " + (o.meta.empty() ? std::string("VALUE") : o.meta);
  return s;
}

// Wraps `text` at `width` columns, indenting continuation lines by `indent`.
std::string wrap(const std::string& text, size_t indent, size_t width = 79) {
  std::istringstream words(text);
  std::string word, out, line;
  size_t avail = width > indent + 20 ? width - indent : 40;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > avail) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

void format_options(std::ostringstream& out, const std::vector<OptionSpec>& options) {
  const size_t col = 28;
  for (const auto& o : options) {
    std::string left = "  " + names_of(o);
    std::string help = o.help;
    if (o.kind == ValueKind::choice) {
      std::string c;
      for (const auto& ch : o.choices) c += (c.empty() ? "" : "|") + ch;
      help += " (" + c + ")";
    }
    if (o.default_value) help += " [default: " + *o.default_value + "]";
    if (o.required) help += " [required]";
    if (left.size() + 2 > col) {
      out << left << "\n" << std::string(col, ' ');
    } else {
      out << left << std::string(col - left.size(), ' ');
    }
    out << wrap(help, col) << "\n";
  }
}

long long parse_integer(const std::string& name, const std::string& v) {
  char* end = nullptr;
  errno = 0;
  long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno == ERANGE)
    throw UsageError("--" + name + ": '" + v + "' is not an integer");
  return x;
}

double parse_real(const std::string& name, const std::string& v) {
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(x))
    throw UsageError("--" + name + ": '" + v + "' is not a finite number");
  return x;
}

void check_input_exists(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw InputError(path, "no such file");
  if (S_ISDIR(st.st_mode)) throw InputError(path, "is a folder, not a file");
  if (access(path.c_str(), R_OK) != 0) throw InputError(path, "is not readable");
}

}  // namespace

// ---------------------------------------------------------------- builders

OptionSpec flag(std::string name, std::string help, char short_name) {
  OptionSpec o;
  o.name = std::move(name);
  o.short_name = short_name;
  o.kind = ValueKind::flag;
  o.help = std::move(help);
  return o;
}

OptionSpec value(ValueKind kind, std::string name, std::string meta, std::string help,
                 std::optional<std::string> default_value) {
  OptionSpec o;
  o.name = std::move(name);
  o.kind = kind;
  o.meta = std::move(meta);
  o.help = std::move(help);
  o.default_value = std::move(default_value);
  return o;
}

OptionSpec choice(std::string name, std::vector<std::string> choices, std::string default_value, std::string help) {
  OptionSpec o = value(ValueKind::choice, std::move(name), "NAME", std::move(help), std::move(default_value));
  o.choices = std::move(choices);
  return o;
}

OptionSpec required(OptionSpec spec) {
  spec.required = true;
  return spec;
}

OptionSpec repeated(OptionSpec spec) {
  spec.multiple = true;
  return spec;
}

PositionalSpec argument(std::string name, ValueKind kind, std::string help) {
  PositionalSpec p;
  p.name = std::move(name);
  p.kind = kind;
  p.help = std::move(help);
  return p;
}

PositionalSpec optional_argument(std::string name, ValueKind kind, std::string help) {
  PositionalSpec p = argument(std::move(name), kind, std::move(help));
  p.optional = true;
  return p;
}

PositionalSpec arguments(std::string name, ValueKind kind, std::string help) {
  PositionalSpec p = argument(std::move(name), kind, std::move(help));
  p.multiple = true;
  return p;
}

// ---------------------------------------------------------------- Args

bool Args::has(const std::string& name) const {
  auto it = values.find(name);
  return it != values.end() && !it->second.empty();
}

std::string Args::text(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) throw UsageError("missing value for " + name);
  return it->second.front();
}

std::optional<std::string> Args::maybe_text(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  return text(name);
}

long long Args::integer(const std::string& name) const { return parse_integer(name, text(name)); }
double Args::real(const std::string& name) const { return parse_real(name, text(name)); }
bool Args::flag(const std::string& name) const { return has(name) && text(name) == "true"; }

std::vector<std::string> Args::list(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

nlohmann::json Args::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, vals] : values) {
    auto spec = option_specs.find(name);
    bool many = spec != option_specs.end() && spec->second && spec->second->multiple;
    if (vals.empty()) continue;
    if (many || vals.size() > 1) {
      j[name] = vals;
    } else if (spec != option_specs.end() && spec->second && spec->second->kind == ValueKind::flag) {
      j[name] = vals.front() == "true";
    } else if (spec != option_specs.end() && spec->second && spec->second->kind == ValueKind::integer) {
      j[name] = parse_integer(name, vals.front());
    } else if (spec != option_specs.end() && spec->second && spec->second->kind == ValueKind::real) {
      j[name] = parse_real(name, vals.front());
    } else {
      j[name] = vals.front();
    }
  }
  return j;
}

// ---------------------------------------------------------------- Context

std::string Context::command_line() const { return shell_join(argv); }

// The background hashing of Context::start_checksums(). The Context owns
// it; its destructor stops and joins the thread, so a command that fails
// early exits at once and never with a thread still inside OpenSSL while
// the process tears down.
struct Context::PendingChecksums {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::map<std::string, std::string> digests;  // only files hashed without error
  std::atomic<bool> cancel{false};
  std::thread worker;
  ~PendingChecksums() {
    cancel = true;
    if (worker.joinable()) worker.join();
  }
};

void Context::start_checksums() {
  if (threads < 2 || input_paths.empty() || pending_checksums_) return;
  pending_checksums_ = std::make_shared<PendingChecksums>();
  PendingChecksums* pending = pending_checksums_.get();
  pending->worker = std::thread([pending, paths = input_paths] {
    std::map<std::string, std::string> digests;
    for (const auto& p : paths) {
      if (digests.count(p)) continue;
      try {
        std::string digest = sha256_file(p, &pending->cancel);
        if (digest.empty()) break;  // cancelled
        digests.emplace(p, std::move(digest));
      } catch (...) {
        // provenance() hashes it again in the caller's thread, where the
        // error is reported the usual way.
      }
    }
    std::lock_guard<std::mutex> lock(pending->mutex);
    pending->digests = std::move(digests);
    pending->done = true;
    pending->finished.notify_all();
  });
}

nlohmann::json Context::provenance() const {
  if (pending_checksums_) {
    std::unique_lock<std::mutex> lock(pending_checksums_->mutex);
    pending_checksums_->finished.wait(lock, [&] { return pending_checksums_->done; });
    for (const auto& [path, digest] : pending_checksums_->digests) checksum_cache_.emplace(path, digest);
  }
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& p : input_paths) {
    // Several sidecars per run share the inputs: hash each file once.
    auto it = checksum_cache_.find(p);
    if (it == checksum_cache_.end()) it = checksum_cache_.emplace(p, sha256_file(p)).first;
    inputs.push_back({{"path", p}, {"sha256", it->second}});
  }
  return {{"tool", tool},
          {"command", command},
          {"version", version()},
          {"git_commit", git_commit()},
          {"command_line", command_line()},
          {"seed", seed},
          {"parameters", parameters},
          {"inputs", inputs}};
}

// ---------------------------------------------------------------- Command

Command::Command(std::string name, std::string summary) : name_(std::move(name)), summary_(std::move(summary)) {}
Command& Command::synopsis(std::string text) { synopsis_ = std::move(text); return *this; }
Command& Command::description(std::string text) { description_ = std::move(text); return *this; }
Command& Command::example(std::string cl, std::string what) {
  examples_.emplace_back(std::move(cl), std::move(what));
  return *this;
}
Command& Command::positional(PositionalSpec spec) { positionals_.push_back(std::move(spec)); return *this; }
Command& Command::option(OptionSpec spec) { options_.push_back(std::move(spec)); return *this; }
Command& Command::run(RunFunction fn) { run_ = std::move(fn); return *this; }

std::string Command::help(const std::string& tool) const {
  std::ostringstream out;
  out << tool << " " << name_ << ": " << summary_ << "\n\n";
  std::string syn = synopsis_;
  if (syn.empty()) {
    for (const auto& p : positionals_)
      syn += (syn.empty() ? "" : " ") + (p.optional ? "[" + p.name + "]" : p.name) + (p.multiple ? "..." : "");
    for (const auto& o : options_)
      if (o.required) syn += " --" + o.name + " " + (o.meta.empty() ? std::string("VALUE") : o.meta);
    syn += " [options]";
  }
  out << "Usage: " << tool << " " << name_ << " " << syn << "\n";
  if (!description_.empty()) {
    out << "\n";
    std::istringstream paras(description_);
    std::string para;
    while (std::getline(paras, para)) out << (para.empty() ? "" : wrap(para, 0)) << "\n";
  }
  if (!positionals_.empty()) {
    out << "\nArguments:\n";
    for (const auto& p : positionals_) {
      std::string left = "  " + p.name;
      out << left << std::string(left.size() < 28 ? 28 - left.size() : 1, ' ') << wrap(p.help, 28) << "\n";
    }
  }
  if (!options_.empty()) {
    out << "\nOptions:\n";
    format_options(out, options_);
  }
  out << "\nStandard options:\n";
  format_options(out, standard_options());
  if (!examples_.empty()) {
    out << "\nExamples:\n";
    for (const auto& [cl, what] : examples_) out << "  " << wrap(what, 2) << "\n    $ " << cl << "\n";
  }
  out << "\nExit codes: 0 success, 1 other failure, 2 usage error, 3 invalid input, 4 output error.\n";
  return out.str();
}

nlohmann::json Command::describe() const {
  auto option_json = [](const OptionSpec& o) {
    nlohmann::json j{{"name", o.name}, {"kind", kind_name(o.kind)}, {"help", o.help},
                     {"required", o.required}, {"multiple", o.multiple}};
    if (o.default_value) j["default"] = *o.default_value;
    if (!o.choices.empty()) j["choices"] = o.choices;
    return j;
  };
  nlohmann::json j{{"command", name_}, {"summary", summary_}};
  j["positionals"] = nlohmann::json::array();
  for (const auto& p : positionals_)
    j["positionals"].push_back({{"name", p.name}, {"kind", kind_name(p.kind)}, {"help", p.help},
                                {"multiple", p.multiple}, {"optional", p.optional}});
  j["options"] = nlohmann::json::array();
  for (const auto& o : options_) j["options"].push_back(option_json(o));
  j["standard_options"] = nlohmann::json::array();
  for (const auto& o : standard_options()) j["standard_options"].push_back(option_json(o));
  return j;
}

// ---------------------------------------------------------------- Tool

Tool::Tool(std::string name, std::string summary) : name_(std::move(name)), summary_(std::move(summary)) {}
Tool& Tool::add(Command command) { commands_.push_back(std::move(command)); return *this; }

std::string Tool::help() const {
  std::ostringstream out;
  out << name_ << " " << version() << ": " << summary_ << "\n\nUsage: " << name_
      << " COMMAND [options]   (" << name_ << " COMMAND --help for details)\n\nCommands:\n";
  for (const auto& c : commands_) {
    std::string left = "  " + c.name();
    out << left << std::string(left.size() < 16 ? 16 - left.size() : 1, ' ') << wrap(c.summary(), 16) << "\n";
  }
  out << "\nEvery command takes the standard options --threads N, --seed S, -v, -q, --json, --force,\n"
         "--progress. Exit codes: 0 success, 1 other failure, 2 usage error, 3 invalid input,\n"
         "4 output error.\n";
  return out.str();
}

int Tool::main(int argc, char** argv) {
  log::set_program(name_);
  std::vector<std::string> args(argv, argv + argc);
  try {
    return dispatch(args);
  } catch (const Error& e) {
    log::error(e.what());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    log::error("out of memory");
    return static_cast<int>(ExitCode::other);
  } catch (const std::exception& e) {
    // ITK exceptions carry file/line noise over several lines: keep one line.
    std::string what = e.what();
    for (auto& c : what)
      if (c == '\n' || c == '\r') c = ' ';
    log::error(what);
    return static_cast<int>(ExitCode::other);
  } catch (...) {
    log::error("unknown failure");
    return static_cast<int>(ExitCode::other);
  }
}

int Tool::dispatch(const std::vector<std::string>& argv) {
  if (argv.size() < 2 || argv[1] == "--help" || argv[1] == "-h" || argv[1] == "help") {
    std::cout << help();
    return argv.size() < 2 ? static_cast<int>(ExitCode::usage) : 0;
  }
  if (argv[1] == "--version") {
    std::cout << name_ << " " << version() << " (" << git_commit() << ")\n";
    return 0;
  }
  const Command* cmd = nullptr;
  for (const auto& c : commands_)
    if (c.name() == argv[1]) cmd = &c;
  if (!cmd) {
    std::string names;
    for (const auto& c : commands_) names += (names.empty() ? "" : ", ") + c.name();
    throw UsageError("unknown command '" + argv[1] + "' (commands: " + names + "; see " + name_ + " --help)");
  }

  // Build the Boost.Program_options description from the declaration. All
  // values are read as strings and converted by our own typed accessors, so
  // every command reports bad values with the same messages.
  po::options_description desc;
  std::map<std::string, const OptionSpec*> specs;
  auto declare = [&](const OptionSpec& o) {
    std::string names = o.name + (o.short_name ? std::string(",") + o.short_name : std::string());
    specs[o.name] = &o;
    if (o.kind == ValueKind::flag) {
      desc.add_options()(names.c_str(), po::bool_switch(), o.help.c_str());
    } else if (o.multiple) {
      desc.add_options()(names.c_str(), po::value<std::vector<std::string>>()->multitoken(), o.help.c_str());
    } else {
      desc.add_options()(names.c_str(), po::value<std::string>(), o.help.c_str());
    }
  };
  for (const auto& o : cmd->options_) declare(o);
  for (const auto& o : standard_options()) declare(o);
  po::positional_options_description pos;
  for (size_t i = 0; i < cmd->positionals_.size(); ++i) {
    const auto& p = cmd->positionals_[i];
    desc.add_options()(p.name.c_str(), po::value<std::vector<std::string>>(), "");
    pos.add(p.name.c_str(), p.multiple ? -1 : 1);
  }

  po::variables_map vm;
  std::vector<std::string> rest(argv.begin() + 2, argv.end());
  try {
    po::store(po::command_line_parser(rest).options(desc).positional(pos).style(
                  po::command_line_style::default_style & ~po::command_line_style::allow_guessing).run(),
              vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see " + name_ + " " + cmd->name() + " --help)");
  }
  auto is_set = [&](const std::string& n) { return vm.count(n) && !vm[n].defaulted() && vm[n].as<bool>(); };
  if (is_set("help")) {
    std::cout << cmd->help(name_);
    return 0;
  }
  if (is_set("version")) {
    std::cout << name_ << " " << version() << " (" << git_commit() << ")\n";
    return 0;
  }
  if (is_set("describe")) {
    std::cout << cmd->describe().dump(2) << "\n";
    return 0;
  }

  Args args;
  args.option_specs = specs;
  for (const auto& [name, spec] : specs) {
    if (!vm.count(name)) {
      if (spec->default_value) args.values[name] = {*spec->default_value};
      continue;
    }
    if (spec->kind == ValueKind::flag) {
      if (vm[name].as<bool>()) args.values[name] = {"true"};
    } else if (spec->multiple) {
      args.values[name] = vm[name].as<std::vector<std::string>>();
    } else {
      args.values[name] = {vm[name].as<std::string>()};
    }
  }
  for (const auto& p : cmd->positionals_) {
    if (vm.count(p.name)) args.values[p.name] = vm[p.name].as<std::vector<std::string>>();
    else if (!p.optional) throw UsageError("missing argument " + p.name + " (see " + name_ + " " + cmd->name() + " --help)");
  }

  // Standard options.
  Context ctx;
  ctx.tool = name_;
  ctx.command = cmd->name();
  ctx.argv = argv;
  ctx.verbose = args.flag("verbose");
  ctx.quiet = args.flag("quiet");
  ctx.json = args.flag("json");
  ctx.force = args.flag("force");
  if (ctx.verbose && ctx.quiet) throw UsageError("--verbose and --quiet exclude each other");
  log::set_level(ctx.quiet ? log::Level::quiet : ctx.verbose ? log::Level::verbose : log::Level::normal);
  Progress::set_enabled(!ctx.quiet && (args.flag("progress") || isatty(STDERR_FILENO)));
  std::optional<int> requested_threads;
  if (args.has("threads")) {
    long long t = args.integer("threads");
    if (t < 1 || t > 4096) throw UsageError("--threads must be between 1 and 4096");
    requested_threads = static_cast<int>(t);
  }
  ctx.threads = resolve_thread_count(requested_threads);
  apply_thread_count(ctx.threads);
  long long seed = args.integer("seed");
  if (seed < 0) throw UsageError("--seed must not be negative");
  ctx.seed = static_cast<std::uint64_t>(seed);

  // Validate the command's own declared values: required, choices, types,
  // inputs that exist, outputs that may be created.
  for (const auto& o : cmd->options_) {
    if (o.required && !args.has(o.name)) throw UsageError("missing required option --" + o.name + " (see " + name_ + " " + cmd->name() + " --help)");
    if (!args.has(o.name)) continue;
    for (const auto& v : args.list(o.name)) {
      switch (o.kind) {
        case ValueKind::integer: parse_integer(o.name, v); break;
        case ValueKind::real: parse_real(o.name, v); break;
        case ValueKind::choice: {
          bool ok = false;
          std::string all;
          for (const auto& c : o.choices) {
            ok = ok || c == v;
            all += (all.empty() ? "" : ", ") + c;
          }
          if (!ok) throw UsageError("--" + o.name + ": '" + v + "' is not one of " + all);
          break;
        }
        default: break;
      }
    }
  }
  // Names standing for input files (templates) become their paths first.
  for (const auto& p : cmd->positionals_)
    if (p.kind == ValueKind::input_file && args.has(p.name))
      for (auto& v : args.values[p.name]) v = resolve_input_name(v);
  for (const auto& o : cmd->options_)
    if (o.kind == ValueKind::input_file && args.has(o.name))
      for (auto& v : args.values[o.name]) v = resolve_input_name(v);
  std::vector<std::pair<ValueKind, std::string>> files;
  for (const auto& p : cmd->positionals_)
    for (const auto& v : args.list(p.name)) files.emplace_back(p.kind, v);
  for (const auto& o : cmd->options_)
    for (const auto& v : args.list(o.name)) files.emplace_back(o.kind, v);
  for (const auto& [kind, path] : files) {
    if (kind == ValueKind::input_file) {
      check_input_exists(path);
      ctx.input_paths.push_back(path);
    } else if (kind == ValueKind::output_file) {
      check_output_path(path, ctx.force);
    }
  }

  nlohmann::json params = args.to_json();
  for (const auto& o : standard_options()) params.erase(o.name);
  ctx.parameters = params;

  install_output_cleanup_handlers();
  ctx.start_checksums();
  cmd->run_(args, ctx);
  if (ctx.json) std::cout << ctx.summary.dump(2) << "\n";
  return 0;
}

}  // namespace axon::cli
