#pragma once
// The pipeline file (YAML) as written, with the line of every item so that
// validation can point at it. Parsing checks the file's own structure;
// whether tools, options, files and references exist is checked when the
// plan is built (plan.hpp). Reference: docs/pipelines.md.
#include <map>
#include <string>
#include <vector>

#include "axon/core/error.hpp"

namespace axon::pipeline {

// Where an item is: file and 1-based line (0 when not from a file).
struct SourcePos {
  std::string file;
  int line = 0;
};

// An invalid pipeline file (exit 3): "FILE:LINE: problem".
class PipelineError : public Error {
 public:
  PipelineError(const SourcePos& pos, const std::string& problem);
};

// The BIDS entities a template may use, in the order they appear in a BIDS
// file name, with their key: sub, ses, task, run.
const std::vector<std::pair<std::string, std::string>>& entity_keys();
bool is_entity(const std::string& name);

// A condition on parameters, "{space} == native" or "{space} != mni": both
// sides are templates of parameters (not entities: a condition is decided
// once, when the plan is built), compared as text after expansion.
struct Condition {
  std::string text;         // as written, for messages
  std::string left, right;  // templates, trimmed
  bool equal = true;        // == or !=
  SourcePos pos;
  bool given() const { return !text.empty(); }
};

// key: value or key: [values] in a step's inputs, outputs or options; or
// key: {if: COND, then: V, else: V} (inputs and options), where `values`
// holds `then` and `otherwise` holds `else` (empty when there is none).
struct Binding {
  std::string key;                  // an option or positional of the tool
  std::vector<std::string> values;  // scalars as text; a flag is "true"/"false"
  bool is_list = false;
  SourcePos pos;
  Condition condition;  // not given: `values` always
  std::vector<std::string> otherwise;
  bool otherwise_is_list = false;
};

// A table on the report page, read from the JSON sidecar of one of the
// step's outputs (e.g. the tumour volumes a segmentation writes there).
struct ReportTable {
  std::string title;   // "" = the key
  std::string output;  // the step's output key (e.g. out-labels) whose sidecar holds it
  std::string key;     // dotted path inside the sidecar ("Tumour.volumes_ml")
  SourcePos pos;
  std::vector<std::string> rows;  // the entries shown, in this order; empty = all, in the sidecar's order
};

struct StepSpec {
  std::string name;
  SourcePos pos;
  std::string tool, command;  // "axon-motion", "realign"
  SourcePos tool_pos, command_pos;
  std::vector<Binding> inputs, outputs, options;
  int threads = 1;
  long long memory_mb = 0;  // 0: not given
  SourcePos resources_pos;
  std::string datatype;  // BIDS folder of default output names; "" = anat, or func when {task} is used
  std::vector<ReportTable> report;  // extra tables for the report page
  Condition when;  // not given: always in the plan
};

struct Parameter {
  std::string name, default_value;
  SourcePos pos;
  std::vector<std::string> choices;  // empty: any value (name: {default: X, choices: [X, Y]})
};

struct InputSpec {
  std::string name, path_template;
  SourcePos pos;
};

struct PipelineFile {
  std::string path;
  std::string name, version, description;
  std::vector<Parameter> parameters;
  std::string bids;  // template; "" = entity values listed below
  SourcePos bids_pos;
  std::map<std::string, std::vector<std::string>> entity_values;  // "subject" -> {"01", "02"}
  std::map<std::string, SourcePos> entity_values_pos;
  std::vector<InputSpec> inputs;
  std::vector<StepSpec> steps;
};

// "{a} == b" or "{a} != b"; anything else is a PipelineError at `pos`.
Condition parse_condition(const std::string& text, const SourcePos& pos);

// Reads and checks the structure of a pipeline file. Throws PipelineError
// (exit 3) pointing at the offending line, InputError for an unreadable file.
PipelineFile read_pipeline_file(const std::string& path);
// The same from text (tests); `path` names it in messages.
PipelineFile parse_pipeline(const std::string& text, const std::string& path);

}  // namespace axon::pipeline
