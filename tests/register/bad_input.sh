#!/usr/bin/env bash
# axon-register refuses unusable input: exit 3 (2 for usage, 4 for an
# existing output), one error line naming the file, no output and no
# temporary left behind.
source "$AXON_SOURCE/tests/cli/lib.sh"
rg="$AXON_BIN/axon-register"
PY=${AXON_PYTHON:-/usr/bin/python3}
"$PY" "$AXON_SOURCE/tests/register/make_inputs.py" "$work" || { fail "inputs"; finish; }
mkdir -p "$work/out"
out="$work/out/r_0GenericAffine.txt"
h="$work/head.nii.gz"
run() { "$rg" run "$@" --out-transform "$work/out/r_" --stages rigid; }
names() { grep -q "$1" "$work/stderr" || fail "the error does not name $1: $(cat "$work/stderr")"; }

expect_error 3 "$out" run "$h" "$work/missing.nii.gz"; names missing.nii.gz
expect_error 3 "$out" run "$h" "$work/slice2d.nii.gz"; names slice2d.nii.gz
expect_error 3 "$out" run "$work/nan.nii.gz" "$h"; names nan.nii.gz
expect_error 3 "$out" run "$work/two_volumes.nii.gz" "$h"; names two_volumes.nii.gz
expect_error 3 "$out" run "$h" "$h" --fixed-mask "$work/mask_other_grid.nii.gz"; names mask_other_grid.nii.gz
expect_error 3 "$out" run "$h" "$h" --moving-mask "$work/empty_mask.nii.gz"; names empty_mask.nii.gz
expect_error 3 "$out" run "$h" "$work/far_away.nii.gz" --init none; names far_away.nii.gz
# Usage errors.
expect_error 2 "$out" "$rg" run "$h" "$h" --out-transform "$work/out/r_" --stages affine,rigid
expect_error 2 "$out" "$rg" run "$h" "$h" --out-transform "$work/out/r_" --metric xx
expect_error 2 "$out" "$rg" run "$h" "$h" --out-transform "$work/out/r_" --syn-iterations 100x70
# An existing output is kept without --force.
echo keep >"$out"
expect_error 4 "" run "$h" "$h"
[ "$(cat "$out")" = keep ] || fail "an existing transform was overwritten"
rm -f "$out"

# apply: unreadable, wrong-kind and missing transforms.
o="$work/out/applied.nii.gz"
head -c 3000 /dev/urandom >"$work/random.txt"
expect_error 3 "$o" "$rg" apply "$h" "$o" --reference "$h" --transform "$work/random.txt"; names random.txt
expect_error 3 "$o" "$rg" apply "$h" "$o" --reference "$h" --transform "$h"; names head.nii.gz
expect_error 3 "$o" "$rg" apply "$h" "$o" --reference "$h" --transform "$work/none.txt"; names none.txt
expect_error 2 "$o" "$rg" apply "$h" "$o" --reference "$h" --transform "$work/random.txt" --interpolation cubic
ls -a "$work/out" | grep -q axon-tmp && fail "a temporary was left in the output folder"
finish
