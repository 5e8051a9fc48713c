#include "axon/pipeline/plan.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>

#include "axon/core/log.hpp"
#include "axon/core/shell.hpp"
#include "axon/io/atlas_registry.hpp"
#include "axon/io/template_registry.hpp"
#include "axon/pipeline/template.hpp"

namespace axon::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;

std::string Job::command_line() const { return shell_join(argv); }

std::string describe_entities(const Entities& e) {
  std::string s = entity_chain(e);
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

namespace {

std::string absolute(const std::string& p) { return fs::absolute(p).lexically_normal().string(); }

bool exists(const std::string& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// The declaration of one option or positional, found by name.
struct Declared {
  const json* spec = nullptr;
  bool positional = false, standard = false;
  std::string kind() const { return spec ? spec->value("kind", "text") : "text"; }
  bool multiple() const { return spec && spec->value("multiple", false); }
};

Declared find_declared(const json& decl, const std::string& key) {
  for (const auto& p : decl.at("positionals"))
    if (p.at("name") == key) return {&p, true, false};
  for (const auto& o : decl.at("options"))
    if (o.at("name") == key) return {&o, false, false};
  for (const auto& o : decl.at("standard_options"))
    if (o.at("name") == key) return {&o, false, true};
  return {};
}

std::string known_keys(const json& decl) {
  std::string s;
  for (const auto& p : decl.at("positionals")) s += (s.empty() ? "" : ", ") + p.at("name").get<std::string>();
  for (const auto& o : decl.at("options")) s += (s.empty() ? "" : ", ") + o.at("name").get<std::string>();
  return s;
}

// The path a step reads for a source in one tuple: a file inside a folder
// output joins the folder (written with or without its final '/') and NAME.
std::string source_path(const Source& src, const Entities& entities) {
  std::string path = expand_template(src.path_template, entities);
  if (src.subpath.empty()) return path;
  return path + (path.back() == '/' ? "" : "/") + src.subpath;
}

// The image of the registry template or atlas called `name`, if there is
// one (checked: the file exists, its checksum matches).
std::optional<std::string> registry_image(const std::string& name) {
  if (auto image = template_image_for(name)) return image;
  for (const auto& a : list_atlases())
    if (a.name == name) return find_atlas(name).image;
  return std::nullopt;
}

std::vector<std::string> entities_in(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& n : template_names(text))
    if (is_entity(n)) out.push_back(n);
  return out;
}

class Planner {
 public:
  Planner(const PipelineFile& file, const PlanOptions& options, ToolCatalog& tools)
      : file_(file), options_(options), tools_(tools) {}

  Plan build() {
    plan_.file = file_;
    resolve_parameters();
    plan_.out_dir = absolute(options_.out_dir.empty() ? "derivatives/" + file_.name : options_.out_dir);
    for (const auto& s : file_.steps) on_.push_back(!s.when.given() || holds(s.when));
    // Steps that are off are still checked against their tools (a typo in
    // the route not taken fails now, not on the day it is taken), then
    // left out: no jobs, no Snakemake rule, no inputs looked for.
    for (const auto& s : file_.steps) plan_.steps.push_back(declare_step(s));
    for (size_t i = 0; i < plan_.steps.size(); ++i) bind_step(i);
    order_steps();
    discover_inputs();
    for (size_t i : plan_.step_order)
      if (on_[i]) unfold_step(i);
    check_subjects_found();
    make_jobs();
    drop_off_steps();
    return std::move(plan_);
  }

 private:
  // Parameters, then "{name}" in any string of the file: parameters are
  // expanded now, entities stay for each job; anything else is an error.
  void resolve_parameters() {
    for (const auto& p : file_.parameters) plan_.parameters[p.name] = p.default_value;
    for (const auto& [k, v] : options_.overrides) {
      if (!plan_.parameters.count(k)) {
        std::string names;
        for (const auto& p : file_.parameters) names += (names.empty() ? "" : ", ") + p.name;
        throw UsageError("--set " + k + "=...: " + file_.path + " has no parameter '" + k + "'" +
                         (names.empty() ? "" : " (parameters: " + names + ")"));
      }
      plan_.parameters[k] = v;
    }
    for (const auto& p : file_.parameters) {
      const std::string& v = plan_.parameters.at(p.name);
      if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), v) == p.choices.end()) {
        std::string names;
        for (const auto& c : p.choices) names += (names.empty() ? "" : ", ") + c;
        throw UsageError("--set " + p.name + "=" + v + ": not one of " + names);
      }
    }
  }

  // A condition holds when its two sides, parameters expanded, are equal
  // (==) or differ (!=). Entities would make it differ between jobs of one
  // step, which one rule per step (Snakemake) cannot say: refused.
  bool holds(const Condition& c) const {
    for (const auto* side : {&c.left, &c.right})
      for (const auto& n : template_names(*side))
        if (is_entity(n))
          throw PipelineError(c.pos, "condition '" + c.text + "' uses the entity {" + n +
                                         "}: conditions are decided once per plan, from parameters only");
    return (expand(c.left, c.pos) == expand(c.right, c.pos)) == c.equal;
  }

  std::string expand(const std::string& text, const SourcePos& pos) const {
    try {
      for (const auto& n : template_names(text))
        if (!is_entity(n) && !plan_.parameters.count(n))
          throw PipelineError(pos, "undefined parameter or entity {" + n + "} in '" + text + "'");
      return expand_template(text, plan_.parameters, true);
    } catch (const TemplateError& e) {
      throw PipelineError(pos, e.what());
    }
  }

  StepPlan declare_step(const StepSpec& s) {
    StepPlan sp;
    sp.spec = s;
    auto path = tools_.find(s.tool);
    if (!path)
      throw PipelineError(s.tool_pos, "unknown tool '" + s.tool + "' (no such axon executable beside axon-pipeline or on PATH)");
    std::string why;
    auto decl = tools_.describe(s.tool, s.command, why);
    if (!decl) throw PipelineError(s.command_pos, "unknown command '" + s.command + "' of " + s.tool + (why.empty() ? "" : ": " + why));
    sp.declaration = *decl;
    sp.tool_path = *path;
    sp.tool_version = tools_.version(s.tool);
    return sp;
  }

  size_t step_index(const std::string& name) const {
    for (size_t i = 0; i < file_.steps.size(); ++i)
      if (file_.steps[i].name == name) return i;
    return file_.steps.size();
  }

  // Checks each binding against the tool's declaration and classifies it.
  void bind_step(size_t index) {
    StepPlan& sp = plan_.steps[index];
    const StepSpec& s = sp.spec;
    const std::string what = s.tool + " " + s.command;
    std::set<std::string> bound;
    // {if: COND, then: A, else: B}: the branch the parameters choose.
    auto chosen = [&](const Binding& b) -> const std::vector<std::string>& {
      return b.condition.given() && !holds(b.condition) ? b.otherwise : b.values;
    };
    auto lookup = [&](const Binding& b) {
      Declared d = find_declared(sp.declaration, b.key);
      if (!d.spec) throw PipelineError(b.pos, "unknown option '" + b.key + "' for " + what + " (it takes: " + known_keys(sp.declaration) + ")");
      if (chosen(b).size() > 1 && !d.multiple())
        throw PipelineError(b.pos, "'" + b.key + "' of " + what + " takes one value, not a list");
      return d;
    };
    // A key may appear under inputs and under options when conditions give
    // it a value in one place only (a step output in one route, a name in the other).
    auto claim = [&](const Binding& b) {
      if (!bound.insert(b.key).second) throw PipelineError(b.pos, "'" + b.key + "' is given twice in step '" + s.name + "'");
    };
    // A value that is empty once parameters are in (a parameter left empty)
    // is left out, and the binding with it when nothing is left: the tool's
    // own default applies (e.g. the shipped model when no card is given).
    auto given = [&](const Binding& b) {
      std::vector<std::string> values;
      for (const auto& raw : chosen(b)) {
        std::string v = expand(raw, b.pos);
        if (!v.empty()) values.push_back(std::move(v));
      }
      if (!values.empty()) claim(b);
      return values;
    };
    for (const auto& b : s.inputs) {
      Declared d = lookup(b);
      if (d.standard || (d.kind() != "input_file" && d.kind() != "text"))
        throw PipelineError(b.pos, "'" + b.key + "' of " + what + " is not an input (it is " + d.kind() + "): list it under " +
                                       (d.kind() == "output_file" ? "outputs" : "options"));
      for (const auto& v : given(b)) {
        Source src = classify(v, b.pos, on_[index]);
        if (on_[index] && src.kind == Source::Kind::step_output && !on_[src.step])
          throw PipelineError(b.pos, "step '" + s.name + "' reads '" + v + "', but step '" + file_.steps[src.step].name +
                                         "' is off (when: " + file_.steps[src.step].when.text +
                                         "): give this input the same condition ({if: ..., then: ..., else: ...})");
        if (on_[index] && src.kind == Source::Kind::input) used_inputs_.insert(src.input);
        sp.inputs[b.key].push_back(std::move(src));
      }
      for (const auto* branch : {&b.values, &b.otherwise})
        for (const auto& v : *branch) mentioned_inputs_.insert(v);
    }
    for (const auto& b : s.outputs) {
      Declared d = lookup(b);
      claim(b);
      if (d.standard || (d.kind() != "output_file" && d.kind() != "text"))
        throw PipelineError(b.pos, "'" + b.key + "' of " + what + " is not an output (it is " + d.kind() + ")");
      if (b.is_list) throw PipelineError(b.pos, "output '" + b.key + "' takes one name, not a list");
      sp.outputs[b.key] = output_template(sp, expand(b.values.front(), b.pos), b.pos);
      sp.output_is_dir[b.key] = d.kind() == "text";  // a text output is a folder the tool fills
      if (!sp.output_is_dir[b.key] && b.values.front().back() == '/')
        throw PipelineError(b.pos, "output '" + b.key + "' is a file: its name cannot end in '/'");
    }
    for (const auto& t : s.report)
      if (!sp.outputs.count(t.output)) {
        std::string keys;
        for (const auto& o : s.outputs) keys += (keys.empty() ? "" : ", ") + o.key;
        throw PipelineError(t.pos,
                            "report: step '" + s.name + "' has no output '" + t.output + "' (its outputs: " + keys + ")");
      }
    for (const auto& b : s.options) {
      Declared d = lookup(b);
      const std::string kind = d.kind();
      if (d.standard) {
        if (b.key == "threads") throw PipelineError(b.pos, "set threads under resources: (threads: N), not as an option");
        if (b.key != "seed" && b.key != "verbose" && b.key != "quiet")
          throw PipelineError(b.pos, "--" + b.key + " is set by the runner, not by the pipeline file");
      }
      if (kind == "input_file") throw PipelineError(b.pos, "'" + b.key + "' of " + what + " is an input file: list it under inputs");
      if (kind == "output_file") throw PipelineError(b.pos, "'" + b.key + "' of " + what + " is an output file: list it under outputs");
      std::vector<std::string> values;
      for (const auto& v : given(b)) values.push_back(check_value(*d.spec, v, b.pos));
      if (!values.empty()) sp.options[b.key] = values;
    }
    for (const auto& p : sp.declaration.at("positionals"))
      if (!p.value("optional", false) && !bound.count(p.at("name")))
        throw PipelineError(s.pos, "step '" + s.name + "': " + what + " needs its argument " + p.at("name").get<std::string>());
    for (const auto& o : sp.declaration.at("options"))
      if (o.value("required", false) && !bound.count(o.at("name")))
        throw PipelineError(s.pos, "step '" + s.name + "': " + what + " needs --" + o.at("name").get<std::string>() + " (required)");
  }

  // `on`: the step is in the plan. Registry names are looked up (which
  // checks their files) only then, so a route not taken needs none of its data.
  Source classify(const std::string& value, const SourcePos& pos, bool on) const {
    Source src;
    for (const auto& in : file_.inputs)
      if (in.name == value) {
        src.kind = Source::Kind::input;
        src.path_template = input_path_template(in);
        src.input = in.name;
        return src;
      }
    auto dot = value.find('.');
    if (dot != std::string::npos) {
      size_t producer = step_index(value.substr(0, dot));
      if (producer < file_.steps.size()) {
        std::string key = value.substr(dot + 1);
        if (auto slash = key.find('/'); slash != std::string::npos) {  // STEP.KEY/NAME: a file in a folder output
          src.subpath = key.substr(slash + 1);
          key.resize(slash);
          const fs::path inside(src.subpath);
          if (src.subpath.empty() || inside.is_absolute() ||
              std::any_of(inside.begin(), inside.end(), [](const fs::path& part) { return part == ".."; }))
            throw PipelineError(pos, "'" + value + "': the part after '/' must name a file inside the folder output");
        }
        const StepSpec& ps = file_.steps[producer];
        bool found = false;
        for (const auto& o : ps.outputs) found = found || o.key == key;
        if (!found) {
          std::string keys;
          for (const auto& o : ps.outputs) keys += (keys.empty() ? "" : ", ") + o.key;
          throw PipelineError(pos, "step '" + ps.name + "' has no output '" + key + "' (its outputs: " + keys + ")");
        }
        src.kind = Source::Kind::step_output;
        src.step = producer;
        src.path_template = key;  // resolved to the producer's template once it is bound
        return src;
      }
    }
    src.kind = Source::Kind::file;
    src.path_template = absolute(value);
    // A registry template or atlas by name (`colin27-brain`, `aal`), as the
    // tools accept them: its image, so the command line names a file the
    // runner can date and Snakemake can track.
    if (on && value.find('/') == std::string::npos && !exists(src.path_template))
      if (auto image = registry_image(value)) src.path_template = *image;
    return src;
  }

  std::string input_path_template(const InputSpec& in) const {
    std::string t = expand(in.path_template, in.pos);
    if (!file_.bids.empty() && !fs::path(t).is_absolute()) return absolute((fs::path(bids_root()) / t).string());
    return absolute(t);
  }

  std::string bids_root() const { return absolute(expand(file_.bids, file_.bids_pos)); }

  // BIDS-derivatives names by default: a bare name ("desc-mean_bold.nii.gz")
  // gets sub-X/[ses-Y/]DATATYPE/sub-X[_ses-Y][_task-Z][_run-N]_ before it.
  std::string output_template(const StepPlan& sp, const std::string& value, const SourcePos& pos) const {
    if (value.empty()) throw PipelineError(pos, "empty output name");
    fs::path p(value);
    if (p.is_absolute()) throw PipelineError(pos, "output '" + value + "' must be relative to the output folder (--out)");
    for (const auto& part : p)
      if (part == "..") throw PipelineError(pos, "output '" + value + "' leaves the output folder ('..')");
    // A folder's name may end in '/' (tools that take a prefix then write
    // inside it); the rest decides whether it is a bare name.
    if (value.substr(0, value.size() - 1).find('/') != std::string::npos) return value;
    (void)sp;
    return "\x01" + value;  // marked: the prefix needs the step's entities, known after unfolding
  }

  std::string check_value(const json& spec, const std::string& v, const SourcePos& pos) const {
    const std::string kind = spec.value("kind", "text"), name = spec.at("name");
    if (!entities_in(v).empty()) return v;  // checked by the tool itself, per job
    if (kind == "flag") {
      if (v == "true" || v == "yes" || v == "on") return "true";
      if (v == "false" || v == "no" || v == "off") return "false";
      throw PipelineError(pos, "--" + name + " is a flag: give true or false, not '" + v + "'");
    }
    if (kind == "integer") {
      char* end = nullptr;
      std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end) throw PipelineError(pos, "--" + name + ": '" + v + "' is not an integer");
    } else if (kind == "real") {
      char* end = nullptr;
      std::strtod(v.c_str(), &end);
      if (v.empty() || *end) throw PipelineError(pos, "--" + name + ": '" + v + "' is not a number");
    } else if (kind == "choice") {
      const auto& choices = spec.at("choices");
      if (std::find(choices.begin(), choices.end(), v) == choices.end())
        throw PipelineError(pos, "--" + name + ": '" + v + "' is not one of " + choices.dump());
    }
    return v;
  }

  void order_steps() {
    for (auto& sp : plan_.steps) {
      std::set<size_t> up;
      for (const auto& [key, sources] : sp.inputs)
        for (const auto& src : sources)
          if (src.kind == Source::Kind::step_output) up.insert(src.step);
      sp.upstream.assign(up.begin(), up.end());
    }
    std::vector<int> state(plan_.steps.size(), 0);  // 0 new, 1 on the path, 2 done
    std::vector<size_t> path;
    std::function<void(size_t)> visit = [&](size_t i) {
      if (state[i] == 2) return;
      if (state[i] == 1) {
        std::string cycle;
        auto from = std::find(path.begin(), path.end(), i);
        for (auto it = from; it != path.end(); ++it) cycle += plan_.steps[*it].spec.name + " -> ";
        throw PipelineError(plan_.steps[i].spec.pos, "cycle: " + cycle + plan_.steps[i].spec.name);
      }
      state[i] = 1;
      path.push_back(i);
      for (size_t u : plan_.steps[i].upstream) visit(u);
      path.pop_back();
      state[i] = 2;
      plan_.step_order.push_back(i);
    };
    for (size_t i = 0; i < plan_.steps.size(); ++i) visit(i);
  }

  // Which entity tuples exist for each input: read off the file names under
  // the BIDS folder, or the cartesian product of the listed values.
  void discover_inputs() {
    std::vector<std::string> files;
    std::string root;
    if (!file_.bids.empty()) {
      root = bids_root();
      if (!fs::is_directory(root)) throw PipelineError(file_.bids_pos, "BIDS folder " + root + " does not exist");
      files = list_files(root);
    }
    for (const auto& in : file_.inputs) {
      // An input named only by steps or branches left out is not looked for
      // (a folder of raw runs has no MNI-space masks).
      if (mentioned_inputs_.count(in.name) && !used_inputs_.count(in.name)) continue;
      const std::string t = input_path_template(in);
      const auto ents = entities_in(t);
      std::vector<Entities> tuples;
      if (ents.empty()) {
        if (!exists(t)) throw PipelineError(in.pos, "missing input file " + t);
        tuples.push_back({});
      } else if (!file_.bids.empty()) {
        std::string rel = fs::path(t).lexically_relative(root).generic_string();
        if (rel.rfind("..", 0) == 0)
          throw PipelineError(in.pos, "input '" + in.name + "' uses entities but is outside the BIDS folder " + root);
        tuples = match_template(rel, files);
        if (tuples.empty()) throw PipelineError(in.pos, "no file under " + root + " matches " + rel);
        tuples = filter(tuples);
      } else {
        tuples.push_back({});
        for (const auto& e : ents) {
          auto it = file_.entity_values.find(e);
          if (it == file_.entity_values.end())
            throw PipelineError(in.pos, "input '" + in.name + "' uses {" + e + "} but no " + e + "s are listed (" + e +
                                            "s: [...]) and no bids: folder is given");
          std::vector<Entities> one;
          for (const auto& v : it->second) one.push_back({{e, v}});
          tuples = join(tuples, one);
        }
        tuples = filter(tuples);
        for (const auto& tuple : tuples) {
          std::string path = expand_template(t, tuple);
          if (!exists(path)) throw PipelineError(in.pos, "missing input file " + path);
        }
      }
      input_tuples_[in.name] = tuples;
      for (const auto& tuple : tuples)
        if (tuple.count("subject")) subjects_found_.insert(tuple.at("subject"));
    }
  }

  std::vector<Entities> filter(const std::vector<Entities>& tuples) const {
    std::vector<Entities> out;
    for (const auto& t : tuples) {
      bool keep = true;
      for (const auto& [e, v] : t) {
        if (!file_.bids.empty()) {
          auto it = file_.entity_values.find(e);
          if (it != file_.entity_values.end() && std::find(it->second.begin(), it->second.end(), v) == it->second.end())
            keep = false;
        }
        if (e == "subject" && !options_.subjects.empty() &&
            std::find(options_.subjects.begin(), options_.subjects.end(), v) == options_.subjects.end())
          keep = false;
      }
      if (keep) out.push_back(t);
    }
    return out;
  }

  void check_subjects_found() const {
    for (const auto& s : options_.subjects)
      if (!subjects_found_.count(s)) {
        std::string all;
        for (const auto& f : subjects_found_) all += (all.empty() ? "" : ", ") + f;
        throw InputError("--subjects", "subject '" + s + "' has no input files (subjects found: " + all + ")");
      }
  }

  // The step's entities and tuples: the join of what its inputs provide.
  void unfold_step(size_t index) {
    StepPlan& sp = plan_.steps[index];
    std::vector<Entities> tuples{{}};
    std::set<std::string> ents;
    const StepSpec& s = sp.spec;
    for (const auto& b : s.inputs) {
      auto& sources = sp.inputs[b.key];
      for (auto& src : sources) {
        if (src.kind == Source::Kind::input) {
          for (const auto& in : file_.inputs)
            if (input_path_template(in) == src.path_template) {
              tuples = join(tuples, input_tuples_.at(in.name));
              break;
            }
          for (const auto& e : entities_in(src.path_template)) ents.insert(e);
        } else if (src.kind == Source::Kind::step_output) {
          const StepPlan& producer = plan_.steps[src.step];
          const std::string key = src.path_template;
          src.path_template = producer.outputs.at(key);
          src.is_dir = producer.output_is_dir.at(key);
          if (!src.subpath.empty() && !src.is_dir)
            throw PipelineError(b.pos, "'" + producer.spec.name + "." + key + "/" + src.subpath + "': output '" + key +
                                           "' of step '" + producer.spec.name + "' is a file, not a folder");
          src.is_dir = src.is_dir && src.subpath.empty();
          tuples = join(tuples, producer.instances);
          ents.insert(producer.entities.begin(), producer.entities.end());
        }
      }
    }
    for (const auto& [e, key] : entity_keys())
      if (ents.count(e)) sp.entities.push_back(e);
    auto require_entities = [&](const std::string& text, const SourcePos& pos) {
      for (const auto& e : entities_in(text))
        if (!ents.count(e))
          throw PipelineError(pos, "{" + e + "} in '" + text + "' is not an entity of step '" + s.name +
                                       "' (its inputs give: " + (sp.entities.empty() ? std::string("none") : join_names(sp.entities)) + ")");
    };
    for (const auto& b : s.inputs)
      for (const auto& src : sp.inputs[b.key])
        if (src.kind == Source::Kind::file) require_entities(src.path_template, b.pos);
    for (const auto& b : s.options)
      for (const auto& v : sp.options[b.key]) require_entities(v, b.pos);
    for (const auto& b : s.outputs) {
      std::string& t = sp.outputs[b.key];
      if (!t.empty() && t[0] == '\x01') t = default_prefix(sp, tuples) + t.substr(1);
      require_entities(t, b.pos);
    }
    sp.instances = tuples;
    if (tuples.empty()) log::warn(file_.path + ": step '" + s.name + "' has nothing to do (no input matches)");
    // Files named literally must exist for every job.
    for (const auto& b : s.inputs)
      for (const auto& src : sp.inputs[b.key])
        if (src.kind == Source::Kind::file)
          for (const auto& tuple : tuples) {
            std::string path = expand_template(src.path_template, tuple);
            if (!exists(path)) throw PipelineError(b.pos, "missing input file " + path);
          }
  }

  static std::string join_names(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  }

  // An entity that some of the step's tuples lack (an optional {session?}
  // of its inputs) is optional in the names too.
  std::string default_prefix(const StepPlan& sp, const std::vector<Entities>& tuples) const {
    std::set<std::string> ents(sp.entities.begin(), sp.entities.end());
    if (ents.empty()) return "";
    Entities placeholders;
    for (const auto& e : ents) {
      const bool everywhere = std::all_of(tuples.begin(), tuples.end(), [&](const Entities& t) { return t.count(e) > 0; });
      placeholders[e] = "{" + e + (everywhere ? "}" : "?}");
    }
    std::string folder;
    if (ents.count("subject")) folder += "sub-" + placeholders["subject"] + "/";
    if (ents.count("session")) folder += "ses-" + placeholders["session"] + "/";
    std::string datatype = sp.spec.datatype.empty() ? (ents.count("task") ? "func" : "anat") : sp.spec.datatype;
    return folder + datatype + "/" + entity_chain(placeholders) + "_";
  }

  void make_jobs() {
    std::map<std::pair<size_t, Entities>, size_t> index;
    std::map<std::string, std::pair<size_t, SourcePos>> writers;
    for (size_t si : plan_.step_order) {
      const StepPlan& sp = plan_.steps[si];
      for (const auto& tuple : sp.instances) {
        Job job;
        job.step = si;
        job.entities = tuple;
        std::string chain = entity_chain(tuple);
        job.id = sp.spec.name + (chain.empty() ? "" : "_" + chain);
        job.argv = step_argv(plan_, sp, tuple);
        job.inputs = step_inputs(sp, tuple);
        job.threads = sp.spec.threads;
        job.memory_mb = sp.spec.memory_mb;
        for (const auto& b : sp.spec.outputs) {
          job.outputs.push_back(expand_template(sp.outputs.at(b.key), tuple));
          job.output_is_dir.push_back(sp.output_is_dir.at(b.key));
          auto [it, fresh] = writers.emplace(job.outputs.back(), std::make_pair(plan_.jobs.size(), b.pos));
          if (!fresh) {
            const Job& other = plan_.jobs[it->second.first];
            throw PipelineError(b.pos, "two steps write " + job.outputs.back() + ": '" + plan_.steps[other.step].spec.name +
                                           "' (line " + std::to_string(it->second.second.line) + ") and '" + sp.spec.name + "'");
          }
        }
        std::set<size_t> deps;
        for (size_t up : sp.upstream) {
          auto it = index.find({up, project(tuple, plan_.steps[up].entities)});
          if (it != index.end()) deps.insert(it->second);
        }
        job.deps.assign(deps.begin(), deps.end());
        index[{si, tuple}] = plan_.jobs.size();
        plan_.jobs.push_back(std::move(job));
      }
    }
  }

  // Steps whose when: is false leave the plan: the others are renumbered.
  void drop_off_steps() {
    std::vector<size_t> renumber(plan_.steps.size(), plan_.steps.size());
    std::vector<StepPlan> kept;
    plan_.file.steps.clear();
    for (size_t i = 0; i < plan_.steps.size(); ++i)
      if (on_[i]) {
        renumber[i] = kept.size();
        kept.push_back(std::move(plan_.steps[i]));
        plan_.file.steps.push_back(file_.steps[i]);
      }
    for (auto& sp : kept) {
      for (auto& up : sp.upstream) up = renumber[up];
      for (auto& [key, sources] : sp.inputs)
        for (auto& src : sources)
          if (src.kind == Source::Kind::step_output) src.step = renumber[src.step];
    }
    std::vector<size_t> order;
    for (size_t i : plan_.step_order)
      if (on_[i]) order.push_back(renumber[i]);
    for (auto& job : plan_.jobs) job.step = renumber[job.step];
    plan_.steps = std::move(kept);
    plan_.step_order = std::move(order);
  }

  const PipelineFile& file_;
  const PlanOptions& options_;
  ToolCatalog& tools_;
  Plan plan_;
  std::vector<bool> on_;  // per step of the file: its when: holds
  std::set<std::string> used_inputs_, mentioned_inputs_;
  std::map<std::string, std::vector<Entities>> input_tuples_;
  std::set<std::string> subjects_found_;
};

}  // namespace

Plan build_plan(const PipelineFile& file, const PlanOptions& options, ToolCatalog& tools) {
  return Planner(file, options, tools).build();
}

std::vector<std::string> step_inputs(const StepPlan& step, const Entities& entities) {
  std::vector<std::string> out;
  for (const auto& b : step.spec.inputs) {
    auto it = step.inputs.find(b.key);
    if (it == step.inputs.end()) continue;  // left out (empty)
    for (const auto& src : it->second) out.push_back(expand_template(src.path_template, entities));
  }
  return out;
}

std::vector<std::string> step_outputs(const StepPlan& step, const Entities& entities) {
  std::vector<std::string> out;
  for (const auto& b : step.spec.outputs) out.push_back(expand_template(step.outputs.at(b.key), entities));
  return out;
}

// Positionals in declared order, then the declared options in declared
// order, then the standard options: the same order whatever the file's.
std::vector<std::string> step_argv(const Plan& plan, const StepPlan& step, const Entities& entities) {
  (void)plan;
  std::map<std::string, std::vector<std::string>> values;
  for (const auto& [key, sources] : step.inputs)
    for (const auto& src : sources) values[key].push_back(source_path(src, entities));
  for (const auto& [key, t] : step.outputs) values[key].push_back(expand_template(t, entities));
  for (const auto& [key, vs] : step.options)
    for (const auto& v : vs) values[key].push_back(expand_template(v, entities));

  std::vector<std::string> argv{step.spec.tool, step.spec.command};
  for (const auto& p : step.declaration.at("positionals")) {
    auto it = values.find(p.at("name"));
    if (it != values.end()) argv.insert(argv.end(), it->second.begin(), it->second.end());
  }
  auto add_option = [&](const json& o) {
    const std::string name = o.at("name");
    auto it = values.find(name);
    if (it == values.end()) return;
    for (const auto& v : it->second) {
      if (o.value("kind", "") == "flag") {
        if (v == "true") argv.push_back("--" + name);
      } else {
        argv.push_back("--" + name);
        argv.push_back(v);
      }
    }
  };
  for (const auto& o : step.declaration.at("options")) add_option(o);
  for (const auto& o : step.declaration.at("standard_options")) add_option(o);
  // The runner decides what is out of date, so the tool may replace its
  // outputs; --json puts the tool's summary in the job's log for the report.
  argv.insert(argv.end(), {"--threads", std::to_string(step.spec.threads), "--force", "--json"});
  return argv;
}

}  // namespace axon::pipeline

namespace axon::pipeline {
PlanOptions plan_options_from(const std::vector<std::string>& sets, const std::string& subjects_csv,
                              const std::string& out_dir) {
  PlanOptions o;
  for (const auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("--set " + s + ": expected NAME=VALUE");
    o.overrides[s.substr(0, eq)] = s.substr(eq + 1);
  }
  std::string item;
  for (size_t i = 0; i <= subjects_csv.size(); ++i) {
    if (i == subjects_csv.size() || subjects_csv[i] == ',') {
      if (item.rfind("sub-", 0) == 0) item = item.substr(4);
      if (!item.empty()) o.subjects.push_back(item);
      item.clear();
    } else {
      item += subjects_csv[i];
    }
  }
  o.out_dir = out_dir;
  return o;
}
}  // namespace axon::pipeline
