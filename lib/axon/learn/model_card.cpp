// Reading and validating a model card (docs/axon-segment.md#model-card).
// Every problem is reported as InputError(card path, what is wrong): a card
// is user input, and a bad one must stop the tool with one clear line
// (exit 3) before any network is loaded.
#include "axon/learn/model_card.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "axon/core/checksum.hpp"
#include "axon/core/error.hpp"
#include "axon/io/json.hpp"

namespace axon::learn {
namespace {

using nlohmann::json;

// Field access that names the card and the field on every failure.
class CardReader {
 public:
  explicit CardReader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& problem) const { throw InputError(path_, "model card: " + problem); }

  const json& required(const json& object, const std::string& key, const std::string& where = "") const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) fail("missing field '" + where + key + "'");
    return *it;
  }

  std::string string(const json& object, const std::string& key, bool required_field = true,
                     const std::string& where = "") const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
      if (required_field) fail("missing field '" + where + key + "'");
      return "";
    }
    if (!it->is_string()) fail("field '" + where + key + "' must be a string");
    return it->get<std::string>();
  }

  std::vector<std::string> strings(const json& value, const std::string& name) const {
    if (!value.is_array() || value.empty()) fail("field '" + name + "' must be a non-empty list of strings");
    std::vector<std::string> out;
    for (const auto& v : value) {
      if (!v.is_string() || v.get<std::string>().empty())
        fail("field '" + name + "' must be a non-empty list of non-empty strings");
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  int64_t integer(const json& value, const std::string& name) const {
    if (!value.is_number_integer()) fail("field '" + name + "' must hold integers, got " + value.dump());
    return value.get<int64_t>();
  }

  std::array<double, 3> triple(const json& value, const std::string& name) const {
    if (!value.is_array() || value.size() != 3) fail("field '" + name + "' must be a list of 3 numbers");
    std::array<double, 3> out{};
    for (std::size_t i = 0; i < 3; ++i) {
      if (!value[i].is_number()) fail("field '" + name + "' must be a list of 3 numbers");
      out[i] = value[i].get<double>();
      if (!std::isfinite(out[i])) fail("field '" + name + "' must be finite");
    }
    return out;
  }

 private:
  std::string path_;
};

Normalization read_normalization(const CardReader& r, const json& value) {
  if (!value.is_object()) r.fail("field 'normalization' must be an object");
  Normalization n;
  n.kind = r.string(value, "kind", true, "normalization.");
  if (n.kind != "zscore-nonzero" && n.kind != "range-nonzero")
    r.fail("normalization kind '" + n.kind + "' is not supported (supported: zscore-nonzero, range-nonzero)");
  auto clip = value.find("clip_percentiles");
  if (clip != value.end() && !clip->is_null()) {
    if (!clip->is_array() || clip->size() != 2 || !(*clip)[0].is_number() || !(*clip)[1].is_number())
      r.fail("field 'normalization.clip_percentiles' must be null or [low, high]");
    const double lo = (*clip)[0].get<double>(), hi = (*clip)[1].get<double>();
    if (!(lo >= 0 && lo < hi && hi <= 100))
      r.fail("field 'normalization.clip_percentiles' must satisfy 0 <= low < high <= 100");
    n.clip_percentiles = std::array<double, 2>{lo, hi};
  }
  if (n.kind == "range-nonzero" && !n.clip_percentiles)
    r.fail("normalization kind 'range-nonzero' needs 'clip_percentiles' (the range mapped to [0, 1])");
  return n;
}

// nibabel's aff2axcodes letters: one of L/R, one of P/A, one of I/S.
void check_orientation(const CardReader& r, const std::string& codes) {
  if (codes.empty()) return;
  const std::string pairs[3] = {"LR", "PA", "IS"};
  bool used[3] = {false, false, false};
  bool ok = codes.size() == 3;
  for (std::size_t i = 0; ok && i < 3; ++i) {
    int axis = -1;
    for (int a = 0; a < 3; ++a)
      if (pairs[a].find(codes[i]) != std::string::npos) axis = a;
    ok = axis >= 0 && !used[axis];
    if (ok) used[axis] = true;
  }
  if (!ok) r.fail("field 'orientation' must be \"\" or three axis codes such as \"LPS\", got \"" + codes + "\"");
}

void read_output(const CardReader& r, const json& value, ModelCard& card) {
  if (!value.is_object()) r.fail("field 'output' must be an object");
  const std::string kind = r.string(value, "kind", true, "output.");
  if (kind == "softmax")
    card.output_kind = OutputKind::softmax;
  else if (kind == "sigmoid_regions")
    card.output_kind = OutputKind::sigmoid_regions;
  else
    r.fail("output kind '" + kind + "' is not supported (supported: softmax, sigmoid_regions)");

  const json& channels = r.required(value, "channels", "output.");
  if (!channels.is_array() || channels.empty()) r.fail("field 'output.channels' must be a non-empty list");
  std::set<std::string> names;
  for (const auto& c : channels) {
    if (!c.is_object()) r.fail("each of 'output.channels' must be an object {name, labels}");
    OutputChannel oc;
    oc.name = r.string(c, "name", true, "output.channels[].");
    if (oc.name.empty() || !names.insert(oc.name).second)
      r.fail("output channel names must be non-empty and unique ('" + oc.name + "')");
    const json& labels = r.required(c, "labels", "output.channels[].");
    if (!labels.is_array() || labels.empty()) r.fail("output channel '" + oc.name + "' needs a non-empty 'labels' list");
    for (const auto& l : labels) oc.labels.push_back(static_cast<int32_t>(r.integer(l, "output.channels[].labels")));
    auto threshold = c.find("threshold");
    if (threshold != c.end()) {
      if (card.output_kind != OutputKind::sigmoid_regions)
        r.fail("'output.channels[].threshold' applies to sigmoid_regions only, not softmax");
      if (!threshold->is_number() || !(threshold->get<double>() > 0 && threshold->get<double>() < 1))
        r.fail("output channel '" + oc.name + "': 'threshold' must be a number between 0 and 1 (exclusive)");
      oc.threshold = threshold->get<double>();
    }
    card.outputs.push_back(std::move(oc));
  }

  auto paint = value.find("paint_order");
  const bool has_paint = paint != value.end() && !paint->is_null();
  if (card.output_kind == OutputKind::softmax) {
    if (card.outputs.size() < 2) r.fail("a softmax output needs at least 2 channels");
    if (has_paint) r.fail("'output.paint_order' applies to sigmoid_regions only, not softmax");
    return;
  }
  // sigmoid_regions: each region painted exactly once, so that the label map
  // does not depend on a region the card forgot.
  if (!has_paint || !paint->is_array()) r.fail("missing field 'output.paint_order' (a list of [region, label])");
  std::set<std::string> painted;
  for (const auto& p : *paint) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_number_integer())
      r.fail("each 'output.paint_order' entry must be [region name, label]");
    const std::string name = p[0].get<std::string>();
    if (!names.count(name)) r.fail("'output.paint_order' names region '" + name + "', which is not an output channel");
    if (!painted.insert(name).second) r.fail("'output.paint_order' names region '" + name + "' twice");
    card.paint_order.emplace_back(name, p[1].get<int32_t>());
  }
  if (painted.size() != names.size())
    r.fail("'output.paint_order' must name every output channel once (" + std::to_string(names.size()) +
           " channels, " + std::to_string(painted.size()) + " painted)");
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out;
}

}  // namespace

ModelCard read_model_card(const std::string& path) {
  const CardReader r(path);
  ModelCard card;
  card.path = path;
  card.raw = read_json(path);  // InputError naming the card when unreadable or not JSON
  const json& j = card.raw;
  if (!j.is_object()) r.fail("the card must be a JSON object");

  if (r.string(j, "format") != "axon-model-card") r.fail("field 'format' must be \"axon-model-card\"");
  if (r.integer(r.required(j, "format_version"), "format_version") != 1)
    r.fail("format_version " + j.at("format_version").dump() + " is not supported (supported: 1)");
  card.name = r.string(j, "name");
  if (card.name.empty()) r.fail("field 'name' must not be empty");
  card.description = r.string(j, "description", false);

  card.input_channels = r.strings(r.required(j, "inputs"), "inputs");
  if (std::set<std::string>(card.input_channels.begin(), card.input_channels.end()).size() !=
      card.input_channels.size())
    r.fail("field 'inputs' names a channel twice");
  card.normalization = read_normalization(r, r.required(j, "normalization"));

  card.spacing_mm = r.triple(r.required(j, "spacing_mm"), "spacing_mm");
  for (double s : card.spacing_mm)
    if (s < 0) r.fail("field 'spacing_mm' must be >= 0 (0 keeps the input's spacing)");
  card.orientation = r.string(j, "orientation", false);
  check_orientation(r, card.orientation);

  const json& patch = r.required(j, "patch_size");
  if (!patch.is_array() || patch.size() != 3) r.fail("field 'patch_size' must be 3 positive integers (x, y, z)");
  for (std::size_t i = 0; i < 3; ++i) {
    card.patch_size[i] = r.integer(patch[i], "patch_size");
    if (card.patch_size[i] <= 0) r.fail("field 'patch_size' must be 3 positive integers (x, y, z), got " + patch.dump());
  }

  auto mirror = j.find("mirror_axes");
  if (mirror != j.end() && !mirror->is_null()) {
    if (!mirror->is_array()) r.fail("field 'mirror_axes' must be a list of axes (0 = x, 1 = y, 2 = z)");
    for (const auto& a : *mirror) {
      const int64_t axis = r.integer(a, "mirror_axes");
      if (axis < 0 || axis > 2) r.fail("field 'mirror_axes' holds " + a.dump() + "; axes are 0 (x), 1 (y), 2 (z)");
      if (std::count(card.mirror_axes.begin(), card.mirror_axes.end(), axis))
        r.fail("field 'mirror_axes' names axis " + a.dump() + " twice");
      card.mirror_axes.push_back(static_cast<int>(axis));
    }
  }
  const std::string layout = r.string(j, "tensor_layout", false);
  if (!layout.empty() && layout != "NCZYX") r.fail("tensor_layout '" + layout + "' is not supported (supported: NCZYX)");

  read_output(r, r.required(j, "output"), card);
  card.label_convention = r.string(j, "label_convention", false);

  // Model files relative to the card's folder; each must exist now, so that a
  // typo is reported before minutes of preprocessing.
  const std::filesystem::path folder = std::filesystem::absolute(path).parent_path();
  for (const auto& m : r.strings(r.required(j, "models"), "models")) {
    std::filesystem::path p(m);
    if (p.is_relative()) p = folder / p;
    p = p.lexically_normal();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) r.fail("model file " + p.string() + " does not exist");
    card.model_files.push_back(p.string());
  }

  // Provenance, copied as is into sidecars; absent = null.
  const auto free_json = [&j](const char* key) { return j.contains(key) ? j.at(key) : json(); };
  card.training = free_json("training");
  card.cross_validation = free_json("cross_validation");
  card.licence = free_json("licence");
  return card;
}

void require_input_channels(const ModelCard& card, const std::vector<std::string>& names) {
  if (card.input_channels == names) return;
  throw InputError(card.path, "model card: the model takes " + std::to_string(card.input_channels.size()) +
                                  " input channels (" + join(card.input_channels) + ") but this tool gives " +
                                  std::to_string(names.size()) + " (" + join(names) + ")");
}

nlohmann::json card_provenance(const ModelCard& card) {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& m : card.model_files) models.push_back({{"path", m}, {"sha256", sha256_file(m)}});
  return {{"name", card.name},
          {"card", card.path},
          {"card_sha256", sha256_file(card.path)},
          {"models", models},
          {"training", card.training},
          {"cross_validation", card.cross_validation},
          {"licence", card.licence}};
}

}  // namespace axon::learn
