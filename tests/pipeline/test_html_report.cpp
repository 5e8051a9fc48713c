// The report page's tables from an output's JSON sidecar (a step's
// `report:` field): the parser, the table rendering, and a page written
// from a job record with a figure and a sidecar.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "axon/pipeline/html_report.hpp"
#include "axon/pipeline/job_state.hpp"
#include "axon/pipeline/pipeline_file.hpp"
#include "common/scratch_dir.hpp"

namespace pl = axon::pipeline;
using nlohmann::json;

namespace {
const std::string kStep =
    "name: t\ninputs:\n  t1: sub-{subject}_T1w.nii.gz\nsubjects: ['01']\nsteps:\n"
    "  seg:\n    tool: axon-segment\n    command: tumour\n    inputs: {t1: t1}\n"
    "    outputs: {out-labels: desc-tumour_dseg.nii.gz}\n";

std::string error_of(const std::string& text) {
  try {
    pl::parse_pipeline(text, "p.yaml");
  } catch (const pl::PipelineError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST(ReportTables, Parsed) {
  auto p =
      pl::parse_pipeline(kStep +
                             "    report:\n      - {output: out-labels, key: Tumour.volumes_ml, title: volumes (mL)}\n"
                             "      - {output: out-labels, key: Timing, rows: [total, read]}\n",
                         "p.yaml");
  const auto& r = p.steps.at(0).report;
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].output, "out-labels");
  EXPECT_EQ(r[0].key, "Tumour.volumes_ml");
  EXPECT_EQ(r[0].title, "volumes (mL)");
  EXPECT_EQ(r[0].pos.line, 12);
  EXPECT_EQ(r[1].title, "");
  EXPECT_EQ(r[1].rows, (std::vector<std::string>{"total", "read"}));
  EXPECT_TRUE(r[0].rows.empty());
}

TEST(ReportTables, ErrorsPointAtTheLine) {
  EXPECT_EQ(error_of(kStep + "    report: {output: out-labels}\n"),
            "p.yaml:11: report of step 'seg' must be a list of tables ({output: KEY, key: PATH, title: TEXT})");
  EXPECT_EQ(error_of(kStep + "    report:\n      - {output: out-labels, colour: red}\n"),
            "p.yaml:12: unknown field 'colour' in the report of step 'seg' (fields: output, key, title, rows)");
  EXPECT_TRUE(has(error_of(kStep + "    report:\n      - {key: a}\n"),
                  "p.yaml:12: a table of the report of step 'seg' names no output"));
  EXPECT_TRUE(has(error_of(kStep + "    report:\n      - {output: out-labels}\n"), "names no key"));
}

TEST(ReportTables, FlatObjectIsNameValueRows) {
  json sidecar = {{"Tumour", {{"volumes_ml", {{"WT", 12.345678}, {"TC", 3}, {"ET", 0.5}}}}}};
  std::string html = pl::sidecar_table_html(sidecar, "Tumour.volumes_ml", "tumour volumes (mL)");
  EXPECT_TRUE(has(html, "<caption>tumour volumes (mL)</caption>"));
  EXPECT_TRUE(has(html, "<tr><td>WT</td><td class=\"num\">12.3457</td></tr>"));
  EXPECT_TRUE(has(html, "<tr><td>TC</td><td class=\"num\">3</td></tr>"));
  EXPECT_TRUE(has(html, "<tr><td>ET</td><td class=\"num\">0.5</td></tr>"));
  // A mixed object (regions and a per-label object): dotted rows for the inner one.
  sidecar["Tumour"]["volumes_ml"]["labels"] = {{"1", 2.0}, {"4", 0.5}};
  html = pl::sidecar_table_html(sidecar, "Tumour.volumes_ml", "");
  EXPECT_TRUE(has(html, "<tr><td>labels.1</td><td class=\"num\">2</td></tr>"));
  EXPECT_TRUE(has(html, "<tr><td>labels.4</td><td class=\"num\">0.5</td></tr>"));
  EXPECT_TRUE(has(html, "<tr><td>WT</td><td class=\"num\">12.3457</td></tr>"));
  // rows: picks and orders the entries (nlohmann::json keeps keys sorted).
  html = pl::sidecar_table_html(sidecar, "Tumour.volumes_ml", "", {"WT", "TC", "ET", "nosuch"});
  EXPECT_TRUE(has(html,
                  "<tr><td>WT</td><td class=\"num\">12.3457</td></tr>\n<tr><td>TC</td><td class=\"num\">3</td></tr>\n"
                  "<tr><td>ET</td><td class=\"num\">0.5</td></tr>\n</table>"));
}

TEST(ReportTables, ObjectOfObjectsIsOneColumnPerField) {
  json sidecar = {{"regions", {{"WT", {{"ml", 10.0}, {"voxels", 10000}}}, {"ET", {{"ml", 1.5}, {"labels", {4}}}}}}};
  std::string html = pl::sidecar_table_html(sidecar, "regions", "");
  EXPECT_TRUE(has(html, "<caption>regions</caption>"));
  // nlohmann::json orders object keys: ET before WT; columns in first-seen order.
  EXPECT_TRUE(has(html, "<tr><th></th><th>labels</th><th>ml</th><th>voxels</th></tr>"));
  EXPECT_TRUE(has(html, "<tr><td>ET</td><td>[4]</td><td class=\"num\">1.5</td><td></td></tr>"));
  EXPECT_TRUE(has(html, "<tr><td>WT</td><td></td><td class=\"num\">10</td><td class=\"num\">10000</td></tr>"));
}

TEST(ReportTables, MissingKeyAndEscaping) {
  json sidecar = {{"a", {{"<b>", "x&y"}}}};
  EXPECT_TRUE(has(pl::sidecar_table_html(sidecar, "a.nosuch", "T"), "T: no 'a.nosuch' in the sidecar"));
  EXPECT_TRUE(has(pl::sidecar_table_html(sidecar, "a", ""), "<tr><td>&lt;b&gt;</td><td>x&amp;y</td></tr>"));
  EXPECT_TRUE(has(pl::sidecar_table_html({{"n", 7}}, "n", ""), "<tr><td>n</td><td class=\"num\">7</td></tr>"));
}

// A job record as the runner writes it, with a PNG output and a sidecar
// table: the subject's page embeds the figure and shows the table.
TEST(ReportTables, PageHasFigureAndSidecarTable) {
  axon::test::ScratchDir dir;
  const std::string out = dir.str();
  std::filesystem::create_directories(out + "/sub-01/anat");
  { std::ofstream(out + "/sub-01/anat/sub-01_desc-tumour_T1w.png", std::ios::binary) << "\x89PNG\r\n\x1a\nfake"; }
  { std::ofstream(out + "/sub-01/anat/sub-01_desc-tumour_dseg.nii.gz") << "x"; }
  {
    std::ofstream(out + "/sub-01/anat/sub-01_desc-tumour_dseg.json")
        << json{{"TumourSegmentation", {{"volumes_ml", {{"WT", 41.25}, {"TC", 20.5}, {"ET", 9.75}}}}}}.dump();
  }
  pl::StepPlan step;
  step.spec.name = "tumour";
  for (const auto& [key, name] : {std::pair<std::string, std::string>{"out-labels", "desc-tumour_dseg.nii.gz"},
                                   {"qc", "desc-tumour_T1w.png"}}) {
    pl::Binding b;
    b.key = key;
    b.values = {name};
    step.spec.outputs.push_back(b);
  }
  step.spec.report = {{"tumour volumes (mL)", "out-labels", "TumourSegmentation.volumes_ml", {}, {"WT", "TC", "ET"}}};
  pl::Job job;
  job.outputs = {"sub-01/anat/sub-01_desc-tumour_dseg.nii.gz", "sub-01/anat/sub-01_desc-tumour_T1w.png"};
  const json tables = pl::report_tables_of(step, job);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0]["sidecar"], "sub-01/anat/sub-01_desc-tumour_dseg.json");
  json record = {{"id", "tumour_sub-01"},
                 {"step", "tumour"},
                 {"step_index", 0},
                 {"entities", {{"subject", "01"}}},
                 {"pipeline", "brain-tumour"},
                 {"command_line", "axon-segment tumour ..."},
                 {"outputs", job.outputs},
                 {"summary", {{"labels", "x"}}},
                 {"report_tables", tables}};
  pl::write_job_record(out, "tumour_sub-01", record);
  pl::write_report(out);
  const std::string page = axon::test::file_bytes(out + "/report/sub-01.html");
  EXPECT_TRUE(has(page, "src=\"data:image/png;base64,"));
  EXPECT_TRUE(has(page, "<caption>tumour volumes (mL)</caption>"));
  EXPECT_TRUE(has(page, "<tr><td>WT</td><td class=\"num\">41.25</td></tr>"));
  EXPECT_TRUE(has(page, "<tr><td>ET</td><td class=\"num\">9.75</td></tr>\n</table>"));
  // A sidecar gone since the run: the page says so instead of failing.
  std::filesystem::remove(out + "/sub-01/anat/sub-01_desc-tumour_dseg.json");
  pl::write_report(out);
  EXPECT_TRUE(has(axon::test::file_bytes(out + "/report/sub-01.html"), "is missing or not JSON"));
}
