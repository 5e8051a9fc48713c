#!/usr/bin/env bash
# The HTML report: one self-contained page per subject with the tools'
# figures, summary numbers and command lines; real headless Chromium
# (Debian `chromium`) renders it with every image loaded.
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || { fail "chromium is not installed (scripts/bootstrap installs it)"; finish; }
cd "$work"
# A short synthetic rest run on the AAL grid, used for two subjects.
"$AXON_TESTDATA_BIN/axon-testdata" fmri gen --volumes 10 --jumps 1 --seed 3 >/dev/null || fail "testdata failed"
for s in 01 02; do
  mkdir -p bids/sub-$s/func
  ln gen/bold.nii.gz bids/sub-$s/func/sub-${s}_task-rest_bold.nii.gz
  ln gen/brainmask.nii.gz bids/sub-$s/func/sub-${s}_task-rest_desc-brain_mask.nii.gz
done
cat >p.yaml <<'YAML'
name: conn
bids: bids
inputs:
  bold: sub-{subject}/func/sub-{subject}_task-{task}_bold.nii.gz
  mask: sub-{subject}/func/sub-{subject}_task-{task}_desc-brain_mask.nii.gz
steps:
  mean:
    tool: axon-image
    command: tmean
    inputs: {SERIES: bold}
    outputs: {OUT: desc-mean_bold.nii.gz}
  connectivity:
    tool: axon-connectivity
    command: roi
    inputs: {bold: bold, mask: mask}
    outputs: {out: connectivity}
    options: {atlas: aal, strategy: none, kind: [correlation, partial]}
YAML
"$P" run p.yaml --out out -q || fail "run failed"
[ -s out/report/index.html ] && [ -s out/report/sub-01.html ] && [ -s out/report/sub-02.html ] || fail "report pages missing: $(ls out/report)"
grep -q 'axon-connectivity roi' out/report/sub-01.html || fail "command line not in the report"
grep -q 'parcels' out/report/sub-01.html || fail "summary numbers not in the report"
grep -q 'src="data:image/png;base64,' out/report/sub-01.html || fail "figure not embedded"
# Self-contained: the page alone, copied elsewhere, still has its figures.
mkdir alone && cp out/report/sub-01.html alone/
render() {
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir="$work/chrome" \
    --virtual-time-budget=5000 --dump-dom "file://$1" 2>/dev/null
}
dom=$(render "$work/alone/sub-01.html")
grep -q 'data-images-loaded="1/1"' <<<"$dom" || fail "Chromium did not load every image: $(grep -o 'data-images-loaded="[^"]*"' <<<"$dom" || echo "no marker")"
dom=$(render "$work/out/report/index.html")
grep -q 'sub-02.html' <<<"$dom" || fail "index does not link sub-02"
# report RUNDIR (also from a run log folder) rewrites the pages.
rm -r out/report
"$P" report "$(ls -d out/logs/run-* | head -1)" >/dev/null || fail "report from the log folder failed"
[ -s out/report/sub-02.html ] || fail "report RUNDIR did not write the pages"
"$P" report nosuch 2>err >/dev/null; [ $? -eq 3 ] || fail "report on a missing folder: $(cat err)"
finish
