#!/usr/bin/env bash
# The local runner on 2 subjects x 3 steps: dependency order with --jobs 2,
# a job of 2 threads running alone, a second run doing nothing, a touched
# input re-running only what depends on it, the lock, a failing job.
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$work"
make_bids bids
write_tiny_pipeline p.yaml
"$P" run p.yaml --out out --jobs 2 2>run1.log || fail "first run failed: $(cat run1.log)"
[ "$(outputs_of out | wc -l)" -eq 12 ] || fail "expected 12 outputs (6 images + 6 sidecars): $(outputs_of out)"
# Both independent first jobs start at once; each job starts after the jobs it needs are done.
head -2 run1.log >first2.log; grep -q '\[1/6\] mean sub-01' first2.log && grep -q '\[2/6\] mean sub-02' first2.log ||
  fail "the two mean jobs did not start together: $(cat run1.log)"
line_of() { grep -n "$1" run1.log | head -1 | cut -d: -f1; }
for s in 01 02; do
  [ "$(line_of "mean sub-$s task-rest done")" -lt "$(line_of "\] denoise sub-$s")" ] || fail "denoise sub-$s started before mean finished"
  [ "$(line_of "denoise sub-$s task-rest done")" -lt "$(line_of "\] upsample sub-$s")" ] || fail "upsample sub-$s started before denoise finished"
  # threads: 2 of a budget of 2: nothing else runs beside it.
  next=$(( $(line_of "\] upsample sub-$s") + 1 ))
  grep -q "upsample sub-$s task-rest done" <(sed -n "${next}p" run1.log) || fail "another job ran beside upsample sub-$s: $(cat run1.log)"
done
# Each job's log: command line, stdout (the tool's JSON), stderr, time, peak memory.
runlog=$(ls -d out/logs/run-* | head -1)
"$AXON_PYTHON" - "$runlog/run.json" <<'PY' || fail "run.json incomplete"
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["jobs"]) == 6, len(r["jobs"])
for j in r["jobs"]:
    assert j["status"] == "done" and j["command_line"].startswith("axon-") and j["max_rss_mb"] > 0 and j["wall_s"] > 0, j
    assert "output" in json.load(open(j["stdout_log"])), j["stdout_log"]
PY
# The outputs are the tools' own: the mean equals numpy's mean of the series.
"$AXON_PYTHON" - bids/sub-01/func/sub-01_task-rest_bold.nii.gz out/sub-01/func/sub-01_task-rest_desc-mean_bold.nii.gz <<'PY' || fail "mean differs from numpy"
import sys, numpy as np, nibabel as nib
a = nib.load(sys.argv[1]).get_fdata().mean(axis=3); b = nib.load(sys.argv[2]).get_fdata()
assert np.allclose(a, b, atol=1e-4), abs(a - b).max()
PY

stamp() { (cd out && outputs_of . | xargs stat -c '%n %Y.%y') ; }
stamp >before.txt
sleep 1
"$P" run p.yaml --out out --jobs 2 2>run2.log || fail "second run failed"
grep -q '0 ran, 6 up to date' run2.log || fail "second run did something: $(cat run2.log)"
stamp >after.txt
cmp -s before.txt after.txt || fail "second run touched outputs"

touch bids/sub-02/func/sub-02_task-rest_bold.nii.gz
"$P" run p.yaml --out out --jobs 2 2>run3.log || fail "third run failed"
grep -q '3 ran, 3 up to date' run3.log || fail "touching sub-02's input did not re-run exactly its 3 jobs: $(cat run3.log)"
grep -q 'sub-01 task-rest done' run3.log && fail "sub-01 re-ran after touching sub-02's input"
stamp >after3.txt
[ "$(grep -c sub-01 before.txt)" -eq 6 ] && [ "$(grep sub-01 before.txt)" = "$(grep sub-01 after3.txt)" ] || fail "sub-01 outputs changed"
[ "$(grep sub-02 before.txt)" != "$(grep sub-02 after3.txt)" ] || fail "sub-02 outputs not rewritten"

# A changed command line re-runs the step and what follows it.
"$P" run p.yaml --out out --set levels=3 --dry-run >dry.txt 2>&1
[ "$(grep -c '^axon-' dry.txt)" -eq 4 ] || fail "--set levels=3 should re-run denoise and upsample (4 jobs): $(cat dry.txt)"

# The lock: a second run on the same folder is refused (exit 4).
# The holder keeps the lock until the run has been refused (held.flag says
# it has it; release.flag lets it go), so no load makes this a race.
flock out/.axon-pipeline/lock sh -c 'touch held.flag; while [ ! -e release.flag ]; do sleep 0.1; done' &
for _ in $(seq 300); do [ -e held.flag ] && break; sleep 0.1; done
"$P" run p.yaml --out out 2>lock.err; rc=$?
touch release.flag
wait
[ "$rc" -eq 4 ] && grep -q 'another axon-pipeline run' lock.err || fail "lock not honoured: exit $rc: $(cat lock.err)"

# A failing job: exit 1, one line naming the job and its log; the log holds the tool's error.
"$P" run p.yaml --out out --set levels=9 --jobs 1 -q 2>fail.err; rc=$?
[ "$rc" -eq 1 ] || fail "failing job: exit $rc"
grep -q '^axon-pipeline: error: job denoise sub-0[12] task-rest failed (exit 2): see .*denoise_sub-0[12]_task-rest.err.log' fail.err ||
  fail "failure message: $(cat fail.err)"
log=$(sed 's/.*see //' fail.err)
grep -q 'axon-denoise: error: .*levels' "$log" || fail "job log lacks the tool's error: $(cat "$log")"
# --keep-going: both subjects' failing jobs are tried; what does not depend on them is done.
"$P" run p.yaml --out out --set levels=9 --jobs 1 --keep-going -q 2>kg.err; rc=$?
[ "$rc" -eq 1 ] && grep -q '2 jobs failed; first: job denoise sub-01' kg.err || fail "--keep-going: exit $rc: $(cat kg.err)"
finish
