#!/usr/bin/env bash
# Bad inputs: exit 3 (input) or 4 (output), one error line naming the file,
# no partial output, no crash.
source "$(dirname "$0")/lib.sh"
img="$AXON_BIN/axon-image"
out="$work/out/result.nii.gz"
mkdir -p "$work/out"

# A truncated .nii.gz
head -c 300000 $T/ch2.nii.gz > "$work/truncated.nii.gz"
expect_error 3 "$out" "$img" convert "$work/truncated.nii.gz" "$out"
grep -q "truncated.nii.gz" "$work/stderr" || fail "truncated: error does not name the file"
# A file with a wrong magic
head -c 2000 /dev/urandom > "$work/random.nii"
expect_error 3 "$out" "$img" convert "$work/random.nii" "$out"
grep -q "random.nii" "$work/stderr" || fail "wrong magic: error does not name the file"
# Commands that read the header alone (info, score) print one line too:
# a file cut inside its gzip header, inside the NIfTI header, or random.
head -c 100 $T/ch2.nii.gz > "$work/cut_gzip.nii.gz"
expect_error 3 "" "$img" info "$work/cut_gzip.nii.gz"
grep -q "cut_gzip.nii.gz: file is truncated" "$work/stderr" || fail "cut gzip: $(cat "$work/stderr")"
gzip -dc $T/ch2.nii.gz | head -c 200 > "$work/cut_header.nii"
expect_error 3 "" "$img" info "$work/cut_header.nii"
grep -q "truncated NIfTI header (200 of 348 bytes)" "$work/stderr" || fail "cut header: $(cat "$work/stderr")"
expect_error 3 "" "$img" info "$work/random.nii"
expect_error 3 "" "$AXON_BIN/axon-motion" score "$work/cut_header.nii"
# A header whose dimensions claim more data than the file holds
"$img" convert -q $T/aal.nii.gz "$work/aal.nii" && truncate -s -5000 "$work/aal.nii"
expect_error 3 "$out" "$img" convert "$work/aal.nii" "$out"
grep -q "truncated" "$work/stderr" || fail "short data: error does not say truncated: $(cat "$work/stderr")"
# A 3D image where a 4D series is required
expect_error 3 "$out" "$img" tmean $T/ch2.nii.gz "$out"
grep -q "ch2.nii.gz" "$work/stderr" || fail "3D for 4D: error does not name the file"
# A non-existent path
expect_error 3 "$out" "$img" info "$work/no-such-file.nii.gz"
expect_error 3 "$out" "$img" resample $T/aal.nii.gz "$out" --like "$work/missing.nii.gz"
# An unwritable output folder (root ignores permissions: use a missing one then)
mkdir -p "$work/locked" && chmod 500 "$work/locked"
if [ "$(id -u)" -ne 0 ]; then
  expect_error 4 "$work/locked/x.nii.gz" "$img" convert $T/aal.nii.gz "$work/locked/x.nii.gz"
fi
expect_error 4 "$work/nofolder/x.nii.gz" "$img" convert $T/aal.nii.gz "$work/nofolder/x.nii.gz"
# An existing output is not overwritten without --force, and is left intact
echo keep > "$work/out/exists.nii.gz"
expect_error 4 "" "$img" convert $T/aal.nii.gz "$work/out/exists.nii.gz"
[ "$(cat "$work/out/exists.nii.gz")" = keep ] || fail "existing output was modified"
"$img" convert -q --force $T/aal.nii.gz "$work/out/exists.nii.gz" || fail "--force did not overwrite"
# Usage errors exit 2
expect_error 2 "$out" "$img" resample $T/aal.nii.gz "$out"                 # --like missing
expect_error 2 "$out" "$img" resample $T/aal.nii.gz "$out" --like $T/ch2.nii.gz --interp cubic
expect_error 2 "" "$img" frobnicate
# A thread count below 1 is a usage error
expect_error 2 "$out" "$img" resample $NIPY/functional.nii.gz "$out" --like $T/ch2.nii.gz --interp nearest --threads 0
finish
