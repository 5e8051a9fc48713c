#!/usr/bin/env bash
# Killing a run midway (SIGTERM to the runner, forwarded to the job) leaves
# no partial output; running again completes it, with outputs identical to
# an uninterrupted run, byte for byte.
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$work"
mkdir data
"$AXON_PYTHON" - <<'PY'
import numpy as np, nibabel as nib
rng = np.random.default_rng(1)
for s in ["01", "02"]:
    img = nib.Nifti1Image(rng.random((64, 64, 64)).astype(np.float32), np.diag([2.0, 2.0, 2.0, 1.0]))
    nib.save(img, f"data/sub-{s}_T1w.nii.gz")
# The fine grid: 1 mm, 128^3 (a few seconds of resampling and writing per job).
nib.save(nib.Nifti1Image(np.zeros((128, 128, 128), np.uint8), np.diag([1.0, 1.0, 1.0, 1.0])), "data/fine.nii.gz")
PY
cat >p.yaml <<'YAML'
name: updown
subjects: ["01", "02"]
inputs:
  t1: data/sub-{subject}_T1w.nii.gz
steps:
  up:
    tool: axon-image
    command: resample
    inputs: {IN: t1, like: data/fine.nii.gz}
    outputs: {OUT: desc-fine_T1w.nii.gz}
    options: {interp: bspline}
  down:
    tool: axon-image
    command: resample
    inputs: {IN: up.OUT, like: t1}
    outputs: {OUT: desc-back_T1w.nii.gz}
    options: {interp: linear}
YAML
"$P" run p.yaml --out ref --jobs 1 -q || fail "uninterrupted run failed"
[ "$(outputs_of ref | wc -l)" -eq 8 ] || fail "expected 8 outputs: $(outputs_of ref)"

"$P" run p.yaml --out int --jobs 1 -q &
pid=$!
seen=0
for _ in $(seq 1 1200); do
  # The first job is recorded as done; the next one (a B-spline resampling
  # of most of a second) is running. (Waiting for its temporary output
  # instead is a race since outputs are written in ~0.05 s.)
  if [ -e int/.axon-pipeline/jobs/up_sub-01.json ]; then seen=1; break; fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.05
done
[ "$seen" -eq 1 ] || fail "never saw the first job finish (did the run fail?)"
sleep 0.2
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" -eq 130 ] || fail "interrupted run exited $rc, expected 130"
[ -n "$(find int -name '*axon-tmp*')" ] && fail "partial outputs left: $(find int -name '*axon-tmp*')"
done_now=$(outputs_of int | wc -l)
[ "$done_now" -ge 2 ] && [ "$done_now" -lt 8 ] || fail "after the kill $done_now outputs, expected some but not all"
for f in $(outputs_of int); do cmp -s "int/$f" "ref/$f" || fail "$f written before the kill differs from the uninterrupted run"; done

# Every job the runner recorded as done before the kill is kept. The signal
# can land after the job it was aimed at has committed its outputs but before
# it exits: the runner counts it as interrupted, so its outputs are on disk
# (identical, checked above) yet it runs again; the count comes from the
# records, not the files.
finished=$(find int/.axon-pipeline/jobs -name '*.json' | wc -l)
[ "$finished" -ge 1 ] || fail "no job recorded as done before the kill"

"$P" run p.yaml --out int --jobs 1 2>rerun.log || fail "re-run failed: $(cat rerun.log)"
grep -q "$((4 - finished)) ran, $finished up to date" rerun.log ||
  fail "the re-run did not keep the $finished finished job(s): $(cat rerun.log)"
[ "$(outputs_of int)" = "$(outputs_of ref)" ] || fail "different output lists: $(outputs_of int) vs $(outputs_of ref)"
for f in $(outputs_of ref); do cmp -s "int/$f" "ref/$f" || fail "$f differs from the uninterrupted run"; done
finish
