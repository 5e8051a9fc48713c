#include "axon/pipeline/pipeline_file.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace axon::pipeline {

PipelineError::PipelineError(const SourcePos& pos, const std::string& problem)
    : Error(ExitCode::invalid_input,
            (pos.file.empty() ? std::string() : pos.file + (pos.line > 0 ? ":" + std::to_string(pos.line) : "") + ": ") +
                problem) {}

const std::vector<std::pair<std::string, std::string>>& entity_keys() {
  static const std::vector<std::pair<std::string, std::string>> keys{
      {"subject", "sub"}, {"session", "ses"}, {"task", "task"}, {"run", "run"}};
  return keys;
}

bool is_entity(const std::string& name) {
  for (const auto& [e, key] : entity_keys())
    if (e == name) return true;
  return false;
}

namespace {

// yaml-cpp's marks are 0-based.
SourcePos pos_of(const YAML::Node& node, const std::string& file) {
  return {file, node.Mark().line >= 0 ? node.Mark().line + 1 : 0};
}

bool is_identifier(const std::string& s, bool allow_dash) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (allow_dash && c == '-'))) return false;
  return true;
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  SourcePos pos(const YAML::Node& n) const { return pos_of(n, file_); }

  [[noreturn]] void fail(const YAML::Node& n, const std::string& problem) const { throw PipelineError(pos(n), problem); }

  std::string scalar(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) fail(n, what + " must be a single value");
    return n.Scalar();
  }

  // key -> value nodes of a mapping, in file order, refusing duplicate keys
  // (yaml-cpp keeps both silently).
  std::vector<std::pair<YAML::Node, YAML::Node>> mapping(const YAML::Node& n, const std::string& what) const {
    if (!n.IsMap()) fail(n, what + " must be a mapping (key: value lines)");
    std::vector<std::pair<YAML::Node, YAML::Node>> items;
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      std::string key = scalar(it->first, "a key in " + what);
      if (!seen.insert(key).second) fail(it->first, "'" + key + "' appears twice in " + what);
      items.emplace_back(it->first, it->second);
    }
    return items;
  }

  std::vector<std::string> scalars(const YAML::Node& n, const std::string& what, bool& is_list) const {
    is_list = n.IsSequence();
    std::vector<std::string> out;
    if (n.IsSequence()) {
      for (const auto& item : n) out.push_back(scalar(item, "each item of " + what));
      if (out.empty()) fail(n, what + " is an empty list");
    } else if (n.IsNull()) {
      fail(n, what + " has no value");
    } else {
      out.push_back(scalar(n, what));
    }
    return out;
  }

  // `conditional`: a value may be {if: COND, then: V, else: V} (inputs and
  // options; an output's name is never chosen by a condition).
  std::vector<Binding> bindings(const YAML::Node& n, const std::string& what, bool conditional = false) const {
    std::vector<Binding> out;
    for (const auto& [k, v] : mapping(n, what)) {
      Binding b;
      b.key = k.Scalar();
      b.pos = pos(k);
      const std::string item = what + " '" + b.key + "'";
      if (conditional && v.IsMap()) {
        bool have_then = false;
        for (const auto& [ck, cv] : mapping(v, item)) {
          const std::string field = ck.Scalar();
          if (field == "if") b.condition = parse_condition(scalar(cv, item + ": if"), pos(cv));
          else if (field == "then") {
            b.values = scalars(cv, item + ": then", b.is_list);
            have_then = true;
          } else if (field == "else") b.otherwise = scalars(cv, item + ": else", b.otherwise_is_list);
          else fail(ck, "unknown field '" + field + "' in " + item + " (a choice is {if: COND, then: VALUE, else: VALUE})");
        }
        if (!b.condition.given() || !have_then) fail(v, item + ": a choice needs if: and then: ({if: COND, then: VALUE, else: VALUE})");
      } else {
        b.values = scalars(v, item, b.is_list);
      }
      out.push_back(std::move(b));
    }
    return out;
  }

  // name: default, or name: {default: X, choices: [X, Y]}.
  Parameter parameter(const YAML::Node& key, const YAML::Node& v) const {
    Parameter p{key.Scalar(), "", pos(key), {}};
    const std::string what = "parameter '" + p.name + "'";
    if (!v.IsMap()) {
      p.default_value = v.IsNull() ? std::string() : scalar(v, what);
      return p;
    }
    for (const auto& [k, f] : mapping(v, what)) {
      if (k.Scalar() == "default") p.default_value = f.IsNull() ? std::string() : scalar(f, what + ": default");
      else if (k.Scalar() == "choices") {
        bool is_list = false;
        p.choices = scalars(f, what + ": choices", is_list);
      } else fail(k, "unknown field '" + k.Scalar() + "' in " + what + " (fields: default, choices)");
    }
    if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), p.default_value) == p.choices.end())
      fail(key, what + ": the default '" + p.default_value + "' is not one of its choices");
    return p;
  }

  long long memory_mb(const YAML::Node& n) const {
    // 2G, 512M, 1500 (megabytes), 2GB, 1.5G
    std::string s = scalar(n, "resources: memory");
    size_t used = 0;
    double v = -1;
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    std::string unit = s.substr(used);
    for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    double scale = 0;
    if (unit.empty() || unit == "M" || unit == "MB") scale = 1;
    else if (unit == "G" || unit == "GB") scale = 1024;
    else if (unit == "T" || unit == "TB") scale = 1024 * 1024;
    if (used == 0 || v <= 0 || scale == 0) fail(n, "resources: memory '" + s + "' is not a size like 512M or 2G");
    return static_cast<long long>(v * scale + 0.5);
  }

  // report: a list of {output: KEY, key: A.B, title: TEXT, rows: [...]}:
  // tables from an output's JSON sidecar. Whether the output exists is checked by the plan.
  std::vector<ReportTable> report_tables(const YAML::Node& n, const std::string& step) const {
    const std::string what = "report of step '" + step + "'";
    if (!n.IsSequence() || n.size() == 0)
      fail(n, what + " must be a list of tables ({output: KEY, key: PATH, title: TEXT})");
    std::vector<ReportTable> out;
    for (const auto& item : n) {
      ReportTable t;
      t.pos = pos(item);
      for (const auto& [k, v] : mapping(item, "each table of the " + what)) {
        const std::string field = k.Scalar();
        if (field == "output") t.output = scalar(v, "report: output");
        else if (field == "key") t.key = scalar(v, "report: key");
        else if (field == "title") t.title = scalar(v, "report: title");
        else if (field == "rows") {
          bool is_list = false;
          t.rows = scalars(v, "report: rows", is_list);
        } else fail(k, "unknown field '" + field + "' in the " + what + " (fields: output, key, title, rows)");
      }
      if (t.output.empty()) fail(item, "a table of the " + what + " names no output (output: KEY)");
      if (t.key.empty()) fail(item, "a table of the " + what + " names no key (key: PATH in the sidecar)");
      out.push_back(std::move(t));
    }
    return out;
  }

  StepSpec step(const YAML::Node& key, const YAML::Node& body) const {
    StepSpec s;
    s.name = key.Scalar();
    s.pos = pos(key);
    if (!is_identifier(s.name, true)) fail(key, "step name '" + s.name + "' must be letters, digits, '_' or '-'");
    bool have_tool = false, have_command = false;
    for (const auto& [k, v] : mapping(body, "step '" + s.name + "'")) {
      const std::string field = k.Scalar();
      if (field == "tool") {
        s.tool = scalar(v, "tool");
        s.tool_pos = pos(v);
        have_tool = true;
      } else if (field == "command") {
        s.command = scalar(v, "command");
        s.command_pos = pos(v);
        have_command = true;
      } else if (field == "inputs") {
        s.inputs = bindings(v, "inputs of step '" + s.name + "'", true);
      } else if (field == "outputs") {
        s.outputs = bindings(v, "outputs of step '" + s.name + "'");
      } else if (field == "options") {
        if (!v.IsNull()) s.options = bindings(v, "options of step '" + s.name + "'", true);
      } else if (field == "when") {
        s.when = parse_condition(scalar(v, "when"), pos(v));
      } else if (field == "datatype") {
        s.datatype = scalar(v, "datatype");
        if (!is_identifier(s.datatype, false)) fail(v, "datatype '" + s.datatype + "' must be a folder name such as anat or func");
      } else if (field == "report") {
        s.report = report_tables(v, s.name);
      } else if (field == "resources") {
        s.resources_pos = pos(k);
        for (const auto& [rk, rv] : mapping(v, "resources")) {
          if (rk.Scalar() == "threads") {
            std::string t = scalar(rv, "resources: threads");
            char* end = nullptr;
            long n = std::strtol(t.c_str(), &end, 10);
            if (t.empty() || *end || n < 1 || n > 4096) fail(rv, "resources: threads '" + t + "' is not a count from 1 to 4096");
            s.threads = static_cast<int>(n);
          } else if (rk.Scalar() == "memory") {
            s.memory_mb = memory_mb(rv);
          } else {
            fail(rk, "unknown resource '" + rk.Scalar() + "' (resources are threads and memory)");
          }
        }
      } else {
        fail(k, "unknown field '" + field + "' in step '" + s.name +
                    "' (fields: tool, command, when, inputs, outputs, options, resources, datatype, report)");
      }
    }
    if (!have_tool) fail(key, "step '" + s.name + "' names no tool (tool: axon-...)");
    if (!have_command) fail(key, "step '" + s.name + "' names no command (command: ...)");
    if (s.outputs.empty()) fail(key, "step '" + s.name + "' declares no outputs");
    return s;
  }

  PipelineFile file(const YAML::Node& root) const {
    PipelineFile p;
    p.path = file_;
    if (!root.IsMap()) throw PipelineError({file_, root.IsDefined() ? pos(root).line : 0}, "not a pipeline file (expected a mapping with name, inputs and steps)");
    bool have_name = false, have_steps = false;
    for (const auto& [k, v] : mapping(root, "the pipeline file")) {
      const std::string field = k.Scalar();
      if (field == "name") {
        p.name = scalar(v, "name");
        have_name = true;
        if (!is_identifier(p.name, true)) fail(v, "pipeline name '" + p.name + "' must be letters, digits, '_' or '-'");
      } else if (field == "version") {
        p.version = scalar(v, "version");
      } else if (field == "description") {
        p.description = scalar(v, "description");
      } else if (field == "parameters") {
        if (v.IsNull()) continue;
        for (const auto& [pk, pv] : mapping(v, "parameters")) {
          if (!is_identifier(pk.Scalar(), false)) fail(pk, "parameter name '" + pk.Scalar() + "' must be letters, digits or '_'");
          if (is_entity(pk.Scalar())) fail(pk, "'" + pk.Scalar() + "' is a BIDS entity, not a parameter name");
          p.parameters.push_back(parameter(pk, pv));
        }
      } else if (field == "bids") {
        p.bids = scalar(v, "bids");
        p.bids_pos = pos(v);
      } else if (field == "subjects" || field == "sessions" || field == "tasks" || field == "runs") {
        std::string entity = field.substr(0, field.size() - 1);
        bool is_list = false;
        auto values = scalars(v, field, is_list);
        for (const auto& value : values)
          for (char c : value)
            if (!std::isalnum(static_cast<unsigned char>(c))) fail(v, field + ": '" + value + "' is not a BIDS label (letters and digits)");
        p.entity_values[entity] = values;
        p.entity_values_pos[entity] = pos(k);
      } else if (field == "inputs") {
        for (const auto& [ik, iv] : mapping(v, "inputs")) {
          if (!is_identifier(ik.Scalar(), true)) fail(ik, "input name '" + ik.Scalar() + "' must be letters, digits, '_' or '-'");
          p.inputs.push_back({ik.Scalar(), scalar(iv, "input '" + ik.Scalar() + "'"), pos(ik)});
        }
      } else if (field == "steps") {
        have_steps = true;
        for (const auto& [sk, sv] : mapping(v, "steps")) p.steps.push_back(step(sk, sv));
        if (p.steps.empty()) fail(k, "no steps");
      } else {
        fail(k, "unknown field '" + field +
                    "' (fields: name, version, description, parameters, bids, subjects, sessions, tasks, runs, inputs, steps)");
      }
    }
    if (!have_name) throw PipelineError({file_, 1}, "the pipeline has no name (name: ...)");
    if (!have_steps) throw PipelineError({file_, 1}, "the pipeline has no steps (steps: ...)");
    std::set<std::string> names;
    for (const auto& in : p.inputs) names.insert(in.name);
    for (const auto& s : p.steps)
      if (names.count(s.name)) throw PipelineError(s.pos, "step '" + s.name + "' has the name of an input");
    return p;
  }

 private:
  std::string file_;
};

}  // namespace

Condition parse_condition(const std::string& text, const SourcePos& pos) {
  auto trim = [](std::string x) {
    const auto b = x.find_first_not_of(" \t"), e = x.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : x.substr(b, e - b + 1);
  };
  Condition c;
  c.text = text;
  c.pos = pos;
  auto op = text.find("==");
  c.equal = op != std::string::npos;
  if (!c.equal) op = text.find("!=");
  if (op == std::string::npos || text.find("==", op + 2) != std::string::npos || text.find("!=", op + 2) != std::string::npos)
    throw PipelineError(pos, "condition '" + text + "' is not of the form '{parameter} == value' or '{parameter} != value'");
  c.left = trim(text.substr(0, op));
  c.right = trim(text.substr(op + 2));
  return c;
}

PipelineFile parse_pipeline(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw PipelineError({path, e.mark.line >= 0 ? e.mark.line + 1 : 0}, "not valid YAML: " + e.msg);
  }
  try {
    return Reader(path).file(root);
  } catch (const YAML::Exception& e) {
    throw PipelineError({path, e.mark.line >= 0 ? e.mark.line + 1 : 0}, e.msg);
  }
}

PipelineFile read_pipeline_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path, "cannot be read");
  return parse_pipeline(text.str(), path);
}

}  // namespace axon::pipeline
