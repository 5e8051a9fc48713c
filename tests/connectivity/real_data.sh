#!/bin/bash
# axon-connectivity roi on nipy's real BOLD series with a coarse atlas, and
# the bad inputs of issue 4: each a clear error (exit 3) or a documented n/a.
source "$(dirname "$0")/../cli/lib.sh"
C="$AXON_BIN/axon-connectivity"
"$AXON_PYTHON" "$AXON_SOURCE/tests/connectivity/make_real_inputs.py" "$work" || { echo "inputs failed"; exit 1; }
B="$work/sub-01_task-rest_bold.nii.gz"
A=(--atlas "$work/coarse_atlas.nii.gz" --labels "$work/coarse_labels.tsv" --mask "$work/mask.nii.gz")
mkdir -p "$work/ok"
"$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds.tsv" --strategy 6P --high-pass 0.01 --low-pass 0.2 \
  --kind correlation --kind partial --kind covariance --kind precision --fisher-z --window 20 --step 10 \
  --out "$work/ok" -q ||
  fail "real data run failed"
P="$work/ok/sub-01_task-rest_atlas-coarseatlas"
for f in timeseries.tsv timeseries.json coverage.tsv censoring.tsv meas-correlation_relmat.tsv \
  meas-correlation_relmat.json meas-partial_relmat.tsv meas-covariance_relmat.tsv meas-precision_relmat.tsv \
  meas-correlationfisherz_relmat.tsv meas-partialfisherz_relmat.tsv meas-correlation_relmat.png; do
  [ -s "${P}_$f" ] || fail "missing output ${P}_$f"
done
head -1 "${P}_meas-correlation_relmat.tsv" | grep -q "^block_1	block_2" || fail "relmat header is not the label names"
[ "$(wc -l <"${P}_timeseries.tsv")" -eq 21 ] || fail "timeseries should have 20 rows + header"
# The partial correlation agrees with sklearn's LedoitWolf on our own time series.
"$AXON_PYTHON" - "$P" <<'PY' || fail "partial correlation differs from sklearn on the written time series"
import sys, numpy as np
from sklearn.covariance import LedoitWolf
p = sys.argv[1]
ts = np.genfromtxt(p + "_timeseries.tsv", delimiter="\t", skip_header=1)
prec = np.linalg.inv(LedoitWolf().fit(ts).covariance_)
d = np.sqrt(np.diag(prec)); ref = -prec / np.outer(d, d); np.fill_diagonal(ref, 1)
ours = np.genfromtxt(p + "_meas-partial_relmat.tsv", delimiter="\t", skip_header=1)
corr = np.genfromtxt(p + "_meas-correlation_relmat.tsv", delimiter="\t", skip_header=1)
assert np.abs(ours - ref).max() < 1e-4, np.abs(ours - ref).max()
assert np.abs(corr - np.corrcoef(ts, rowvar=False)).max() < 1e-4
# Sliding windows of 20 s every 10 s over 20 volumes of 2 s: starts 0, 10, 20 s.
dyn = np.genfromtxt(p + "_meas-correlation_dynamic.tsv", delimiter="\t", skip_header=1)
assert dyn.shape == (3, 3 + 15), dyn.shape
assert list(dyn[:, 0]) == [0, 10, 20] and list(dyn[:, 2]) == [10, 10, 10]
iu = np.triu_indices(6, 1)
for w in range(3):
    ref = np.corrcoef(ts[5 * w:5 * w + 10], rowvar=False)[iu]
    assert np.abs(dyn[w, 3:] - ref).max() < 1e-4, w
PY
# A Hamming taper: numpy's weighted covariance (aweights) is the reference.
mkdir -p "$work/taper"
"$C" roi --bold "$B" "${A[@]}" --window 20 --step 10 --taper hamming --out "$work/taper" -q || fail "taper run failed"
"$AXON_PYTHON" - "$work/taper/sub-01_task-rest_atlas-coarseatlas" <<'PY' || fail "tapered windows differ from numpy"
import sys, numpy as np
p = sys.argv[1]
ts = np.genfromtxt(p + "_timeseries.tsv", delimiter="\t", skip_header=1)
dyn = np.genfromtxt(p + "_meas-correlation_dynamic.tsv", delimiter="\t", skip_header=1)
iu = np.triu_indices(6, 1)
wts = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(10) / 9)
for w in range(3):
    c = np.cov(ts[5 * w:5 * w + 10], rowvar=False, aweights=wts)
    d = np.sqrt(np.diag(c))
    assert np.abs(dyn[w, 3:] - (c / np.outer(d, d))[iu]).max() < 1e-4, w
PY

# Scrubbing: censored volumes are interpolated for the filter, then dropped.
mkdir -p "$work/scrub"
"$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds.tsv" --strategy 6P --high-pass 0.01 --low-pass 0.2 \
  --censor-fd 0.09 --min-segment 2 --dummy-scans 1 --out "$work/scrub" -q || fail "scrubbing run failed"
S="$work/scrub/sub-01_task-rest_atlas-coarseatlas"
kept=$(awk -F'\t' 'NR>1 && $2 == 1' "${S}_censoring.tsv" | wc -l)
censored=$(awk -F'\t' 'NR>1 && $2 == 0' "${S}_censoring.tsv" | wc -l)
[ "$censored" -ge 2 ] && [ "$kept" -ge 5 ] || fail "expected some censored volumes: $kept kept, $censored censored"
[ "$(($(wc -l <"${S}_timeseries.tsv") - 1))" -eq "$kept" ] || fail "timeseries rows differ from kept volumes"
grep -q "\"VolumesKept\": $kept" "${S}_timeseries.json" || fail "sidecar VolumesKept"
awk -F'\t' 'NR==2 && $3 != "dummy_scan" {exit 1}' "${S}_censoring.tsv" || fail "dummy scan not recorded"

# A YAML strategy file gives the same regression as the preset.
mkdir -p "$work/yaml"
printf 'strategy: 6P\ncolumns: [trans_x]\n' >"$work/strategy.yaml"
"$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds.tsv" --strategy-file "$work/strategy.yaml" \
  --high-pass 0.01 --low-pass 0.2 --out "$work/yaml" -q || fail "strategy file run failed"
mkdir -p "$work/six"
"$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds.tsv" --strategy 6P --high-pass 0.01 --low-pass 0.2 \
  --out "$work/six" -q || fail "6P run failed"
cmp -s "$work/yaml/sub-01_task-rest_atlas-coarseatlas_timeseries.tsv" \
  "$work/six/sub-01_task-rest_atlas-coarseatlas_timeseries.tsv" || fail "strategy file differs from --strategy 6P"

# Bad inputs.
mkdir -p "$work/bad"
O="$work/bad/sub-01_task-rest_atlas-coarseatlas_timeseries.tsv"
expect_error 3 "$O" "$C" roi --bold "$B" --atlas "$work/far_atlas.nii.gz" --out "$work/bad"
expect_error 3 "$O" "$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds_short.tsv" --strategy 6P --out "$work/bad"
expect_error 3 "$O" "$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds_gap.tsv" --strategy 6P --out "$work/bad"
expect_error 3 "$O" "$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds.tsv" --strategy 36P --out "$work/bad"
grep -q "csf" "$work/stderr" && grep -q "global_signal" "$work/stderr" || fail "missing columns not named: $(cat "$work/stderr")"
expect_error 3 "$O" "$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds_allbad.tsv" --strategy 6P \
  --censor-fd 0.5 --out "$work/bad"
expect_error 3 "$O" "$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds.tsv" --strategy 6P \
  --censor-fd 0.5 --min-time 600 --out "$work/bad"
# TR: implausible (2000 s) or missing (pixdim[4] = 0) is exit 3 when the
# filter needs it, and --tr overrides it.
expect_error 3 "" "$C" roi --bold "$work/sub-02_task-rest_bold.nii.gz" "${A[@]}" --high-pass 0.01 --out "$work/bad"
expect_error 3 "" "$C" roi --bold "$work/sub-04_task-rest_bold.nii.gz" "${A[@]}" --high-pass 0.01 --out "$work/bad"
grep -q "no repetition time" "$work/stderr" || fail "zero TR not named: $(cat "$work/stderr")"
expect_error 3 "" "$C" roi --bold "$work/sub-04_task-rest_bold.nii.gz" "${A[@]}" --window 20 --out "$work/bad"
"$C" roi --bold "$work/sub-04_task-rest_bold.nii.gz" "${A[@]}" --high-pass 0.01 --tr 2 --out "$work/bad" -q ||
  fail "--tr did not override a zero TR"
grep -q '"RepetitionTime": 2' "$work/bad/sub-04_task-rest_atlas-coarseatlas_timeseries.json" ||
  fail "sidecar RepetitionTime is not the --tr given"
expect_error 2 "$O" "$C" roi --bold "$B" "${A[@]}" --low-pass 0.3 --out "$work/bad"  # above Nyquist (0.25 Hz)

# A BOLD file cut short, or with a gzip CRC that does not match its data:
# exit 3 with one line, no output (the CRC is checked after the last volume).
head -c $(( $(stat -c %s "$B") * 2 / 3 )) "$B" >"$work/sub-05_task-rest_bold.nii.gz"
"$AXON_PYTHON" -c "
import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[-8] ^= 1; open(sys.argv[2], 'wb').write(b)" \
  "$B" "$work/sub-06_task-rest_bold.nii.gz"
expect_error 3 "$work/bad/sub-05_task-rest_atlas-coarseatlas_timeseries.tsv" \
  "$C" roi --bold "$work/sub-05_task-rest_bold.nii.gz" "${A[@]}" --out "$work/bad"
grep -q "truncated" "$work/stderr" || fail "truncated BOLD not named: $(cat "$work/stderr")"
expect_error 3 "$work/bad/sub-06_task-rest_atlas-coarseatlas_timeseries.tsv" \
  "$C" roi --bold "$work/sub-06_task-rest_bold.nii.gz" "${A[@]}" --out "$work/bad"
grep -q "corrupt" "$work/stderr" || fail "bad CRC not reported: $(cat "$work/stderr")"

# --out is created when missing (mkdir -p), but only by a run that succeeds:
# a failed run leaves no folder behind; a file in the way is exit 4.
"$C" roi --bold "$B" "${A[@]}" --out "$work/made/deeper" -q || fail "run into a missing --out folder failed"
[ -s "$work/made/deeper/sub-01_task-rest_atlas-coarseatlas_timeseries.tsv" ] || fail "missing --out not created"
expect_error 3 "" "$C" roi --bold "$B" "${A[@]}" --confounds "$work/confounds_gap.tsv" --strategy 6P \
  --out "$work/never/made"
[ -e "$work/never" ] && fail "a failed run left the --out folder it made"
touch "$work/afile"
expect_error 4 "" "$C" roi --bold "$B" "${A[@]}" --out "$work/afile/sub"

# A constant parcel is a documented n/a (coverage 0), with a warning.
mkdir -p "$work/const"
"$C" roi --bold "$work/sub-03_task-rest_bold.nii.gz" "${A[@]}" --out "$work/const" 2>"$work/warn" ||
  fail "constant parcel run failed"
grep -q "n/a" "$work/warn" || fail "no warning for the constant parcel"
Q="$work/const/sub-03_task-rest_atlas-coarseatlas"
awk -F'\t' 'NR==2 && ($5 != 0 || $6 != 0) {exit 1}' "${Q}_coverage.tsv" || fail "constant parcel coverage not 0"
awk -F'\t' 'NR==2 && $1 != "n/a" {exit 1} NR==3 && $1 != "n/a" {exit 1}' "${Q}_meas-correlation_relmat.tsv" ||
  fail "constant parcel not n/a in the matrix"
finish
