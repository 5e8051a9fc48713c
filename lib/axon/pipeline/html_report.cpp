#include "axon/pipeline/html_report.hpp"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "axon/core/error.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/pipeline/job_state.hpp"
#include "axon/pipeline/plan.hpp"

namespace axon::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string data_uri_png(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string b64(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  b64.resize(static_cast<size_t>(len));
  return "data:image/png;base64," + b64;
}

// The PNG figures a job wrote: PNG outputs, and PNGs inside folder outputs.
std::vector<std::string> figures_of(const std::string& out_dir, const json& record) {
  std::vector<std::string> pngs;
  for (const auto& o : record.value("outputs", json::array())) {
    fs::path p = fs::path(out_dir) / o.get<std::string>();
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> inside;
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.path().extension() == ".png") inside.push_back(e.path().string());
      std::sort(inside.begin(), inside.end());
      pngs.insert(pngs.end(), inside.begin(), inside.end());
    } else if (p.extension() == ".png" && fs::exists(p, ec)) {
      pngs.push_back(p.string());
    }
  }
  return pngs;
}

// Key numbers: the scalar entries of the summary, one level of nesting
// flattened ("fd.mean"); long arrays are left out.
void numbers(const json& j, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out, int depth) {
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.items()) {
    const std::string name = prefix.empty() ? k : prefix + "." + k;
    if (v.is_number_float()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", v.get<double>());
      out.emplace_back(name, buf);
    } else if (v.is_number() || v.is_boolean()) {
      out.emplace_back(name, v.dump());
    } else if (v.is_string()) {
      out.emplace_back(name, v.get<std::string>());
    } else if (v.is_array() && v.size() <= 6 && !v.empty() && !v[0].is_structured()) {
      out.emplace_back(name, v.dump());
    } else if (v.is_object() && depth < 2) {
      numbers(v, name, out, depth + 1);
    }
  }
}

// A scalar as the report writes it ("" for objects and long lists).
std::string cell_text(const json& v) {
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v.get<double>());
    return buf;
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

// The value at a dotted path ("Tumour.volumes_ml"), or nullptr.
const json* find_dotted(const json& j, const std::string& key) {
  const json* at = &j;
  size_t start = 0;
  while (start <= key.size()) {
    size_t dot = key.find('.', start);
    const std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!at->is_object()) return nullptr;
    auto it = at->find(part);
    if (it == at->end()) return nullptr;
    at = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return at;
}

// The sidecar tables a job's record names (report_tables_of).
std::string sidecar_tables(const std::string& out_dir, const json& r) {
  std::string html;
  for (const auto& t : r.value("report_tables", json::array())) {
    const std::string file = t.value("sidecar", ""), key = t.value("key", ""), title = t.value("title", "");
    std::ifstream in(fs::path(out_dir) / file);
    json sidecar;
    try {
      if (in) in >> sidecar;
    } catch (const json::exception&) {
      sidecar = nullptr;
    }
    if (!sidecar.is_object()) {
      html += "<p class=\"meta\">" + escape(title.empty() ? key : title) + ": " + escape(file) +
              " is missing or not JSON</p>\n";
      continue;
    }
    html += sidecar_table_html(sidecar, key, title, t.value("rows", std::vector<std::string>{}));
  }
  return html;
}

const char* kStyle =
    "body{font-family:sans-serif;margin:2em;max-width:70em;color:#222}"
    "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}"
    "code{background:#f4f4f4;padding:.2em;display:block;white-space:pre-wrap;word-break:break-all;font-size:.85em}"
    "table{border-collapse:collapse;font-size:.9em;margin:.5em 0}td,th{padding:.15em .8em;border-bottom:1px solid #eee}"
    "th{text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "caption{text-align:left;font-weight:bold}"
    "img{max-width:100%;border:1px solid #ddd;margin:.5em 0}.meta{color:#666;font-size:.9em}";

// Records, in the page, how many figures loaded: a check a headless
// browser can read back from the DOM (tests/pipeline/report_chromium.sh).
const char* kImageCheck =
    "<script>window.addEventListener('load',function(){var im=document.images,ok=0;"
    "for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0)ok++;}"
    "document.body.setAttribute('data-images-loaded',ok+'/'+im.length);});</script>";

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title><style>" +
         kStyle + "</style>" + kImageCheck + "</head>\n<body>\n" + body + "</body></html>\n";
}

std::string job_section(const std::string& out_dir, const json& r) {
  std::ostringstream s;
  Entities e = r.value("entities", json::object()).get<Entities>();
  s << "<h2>" << escape(r.value("step", "")) << " <span class=\"meta\">" << escape(describe_entities(e)) << "</span></h2>\n";
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.1f s wall, %.1f s CPU, peak memory %.0f MB, finished %s", r.value("wall_s", 0.0),
                r.value("user_s", 0.0) + r.value("system_s", 0.0), r.value("max_rss_mb", 0.0),
                r.value("finished", "").c_str());
  s << "<p class=\"meta\">" << escape(r.value("version", "")) << "; " << buf << "</p>\n";
  s << "<code>" << escape(r.value("command_line", "")) << "</code>\n";
  for (const auto& png : figures_of(out_dir, r))
    s << "<figure><img src=\"" << data_uri_png(png) << "\" alt=\"" << escape(fs::path(png).filename().string())
      << "\"><figcaption class=\"meta\">" << escape(fs::relative(png, out_dir).string()) << "</figcaption></figure>\n";
  s << sidecar_tables(out_dir, r);
  std::vector<std::pair<std::string, std::string>> nums;
  numbers(r.value("summary", json::object()), "", nums, 0);
  if (!nums.empty()) {
    s << "<table>\n";
    for (const auto& [k, v] : nums) s << "<tr><td>" << escape(k) << "</td><td>" << escape(v) << "</td></tr>\n";
    s << "</table>\n";
  }
  s << "<p class=\"meta\">outputs: ";
  for (const auto& o : r.value("outputs", json::array())) s << escape(o.get<std::string>()) << " ";
  s << "</p>\n";
  return s.str();
}

}  // namespace

json report_tables_of(const StepPlan& step, const Job& job) {
  json tables = json::array();
  for (const auto& t : step.spec.report)
    for (size_t i = 0; i < step.spec.outputs.size() && i < job.outputs.size(); ++i)
      if (step.spec.outputs[i].key == t.output)
        tables.push_back(
            {{"title", t.title}, {"key", t.key}, {"rows", t.rows}, {"sidecar", sidecar_path(job.outputs[i])}});
  return tables;
}

std::string sidecar_table_html(const json& sidecar, const std::string& key, const std::string& title,
                               const std::vector<std::string>& only) {
  const std::string caption = "<caption>" + escape(title.empty() ? key : title) + "</caption>";
  const json* v = find_dotted(sidecar, key);
  if (!v)
    return "<p class=\"meta\">" + escape(title.empty() ? key : title) + ": no '" + escape(key) +
           "' in the sidecar</p>\n";
  auto num_cell = [](const json& x) {
    return std::string(x.is_number() ? "<td class=\"num\">" : "<td>") + escape(cell_text(x)) + "</td>";
  };
  // Rows of fields (an object of objects, or a list of objects): one column per field, first-seen order.
  std::vector<std::pair<std::string, const json*>> rows;
  if (v->is_object() && !only.empty()) {
    for (const auto& name : only)
      if (v->contains(name)) rows.emplace_back(name, &v->at(name));
  } else if (v->is_object()) {
    for (auto it = v->begin(); it != v->end(); ++it) rows.emplace_back(it.key(), &it.value());
  } else if (v->is_array()) {
    for (size_t i = 0; i < v->size(); ++i) rows.emplace_back(std::to_string(i + 1), &(*v)[i]);
  }
  bool nested = !rows.empty();
  for (const auto& row : rows) nested = nested && row.second->is_object();
  std::ostringstream s;
  s << "<table class=\"sidecar\" data-key=\"" << escape(key) << "\">" << caption << "\n";
  if (nested) {
    std::vector<std::string> columns;
    std::set<std::string> seen;
    for (const auto& row : rows)
      for (auto it = row.second->begin(); it != row.second->end(); ++it)
        if (seen.insert(it.key()).second) columns.push_back(it.key());
    s << "<tr><th></th>";
    for (const auto& c : columns) s << "<th>" << escape(c) << "</th>";
    s << "</tr>\n";
    for (const auto& [name, fields] : rows) {
      s << "<tr><td>" << escape(name) << "</td>";
      for (const auto& c : columns) s << (fields->contains(c) ? num_cell((*fields)[c]) : std::string("<td></td>"));
      s << "</tr>\n";
    }
  } else if (v->is_object()) {
    // Name, value; an object among the values gives one row per field ("labels.4").
    for (const auto& [name, x] : rows) {
      if (!x->is_object()) {
        s << "<tr><td>" << escape(name) << "</td>" << num_cell(*x) << "</tr>\n";
        continue;
      }
      for (auto it = x->begin(); it != x->end(); ++it)
        s << "<tr><td>" << escape(name + "." + it.key()) << "</td>" << num_cell(it.value()) << "</tr>\n";
    }
  } else {
    s << "<tr><td>" << escape(key) << "</td>" << num_cell(*v) << "</tr>\n";
  }
  s << "</table>\n";
  return s.str();
}

std::string output_folder_of(const std::string& run_dir) {
  fs::path p = fs::absolute(run_dir).lexically_normal();
  if (fs::exists(p / "run.json") && p.parent_path().filename() == "logs") return p.parent_path().parent_path().string();
  return p.string();
}

std::string write_report(const std::string& out_dir) {
  auto records = read_job_records(out_dir);
  if (records.empty()) throw InputError(out_dir, "no finished jobs here (not an axon-pipeline output folder?)");
  std::map<std::string, std::vector<json>> pages;  // file name -> records
  std::string pipeline;
  for (const auto& r : records) {
    pipeline = r.value("pipeline", pipeline);
    const json e = r.value("entities", json::object());
    std::string name = e.contains("subject") ? "sub-" + e["subject"].get<std::string>() + ".html" : "group.html";
    pages[name].push_back(r);
  }
  const fs::path dir = fs::path(out_dir) / "report";
  fs::create_directories(dir);
  std::ostringstream index;
  index << "<h1>" << escape(pipeline) << ": report</h1>\n<p class=\"meta\">output folder " << escape(out_dir)
        << "</p>\n<ul>\n";
  for (const auto& [name, recs] : pages) {
    std::string title = pipeline + ": " + name.substr(0, name.size() - 5);
    std::ostringstream body;
    body << "<h1>" << escape(title) << "</h1>\n<p><a href=\"index.html\">all pages</a></p>\n";
    for (const auto& r : recs) body << job_section(out_dir, r);
    write_text_atomically((dir / name).string(), page(title, body.str()));
    index << "<li><a href=\"" << name << "\">" << escape(name.substr(0, name.size() - 5)) << "</a> (" << recs.size()
          << " jobs)</li>\n";
  }
  index << "</ul>\n";
  const std::string index_path = (dir / "index.html").string();
  write_text_atomically(index_path, page(pipeline + ": report", index.str()));
  return index_path;
}

}  // namespace axon::pipeline
