#!/usr/bin/env bash
# Killing a writer mid-run leaves no output and no temporary behind.
source "$(dirname "$0")/lib.sh"
out="$work/big.nii.gz"
# ch2 resampled onto the 0.5 mm ch2better grid with B-splines: ~35 M voxels,
# seconds of work and a long write, so the kill lands while the temporary exists.
"$AXON_BIN/axon-image" resample -q $T/ch2.nii.gz "$out" --like $T/ch2better.nii.gz --interp bspline &
pid=$!
seen=0
for _ in $(seq 1 600); do
  if ls -a "$work" | grep -q 'axon-tmp'; then seen=1; break; fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.05
done
[ "$seen" -eq 1 ] || fail "never saw the temporary output (did the command finish too fast?)"
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
[ "$rc" -ne 0 ] || fail "killed writer exited 0"
[ -e "$out" ] && fail "killed writer left its output"
ls -a "$work" | grep -q 'axon-tmp' && fail "killed writer left a temporary: $(ls -a "$work")"
# Interrupting with SIGINT too (Ctrl-C at a terminal)
"$AXON_BIN/axon-image" resample -q $T/ch2.nii.gz "$out" --like $T/ch2better.nii.gz --interp bspline &
pid=$!
for _ in $(seq 1 600); do
  ls -a "$work" | grep -q 'axon-tmp' && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.05
done
kill -INT $pid 2>/dev/null
wait $pid
[ -e "$out" ] && fail "interrupted writer left its output"
ls -a "$work" | grep -q 'axon-tmp' && fail "interrupted writer left a temporary"
finish
