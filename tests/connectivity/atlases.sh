#!/bin/bash
# Registry atlases on the synthetic 3 mm series: AAL (1 mm ch2 grid),
# Harvard-Oxford (another 1 mm grid, x flipped) and AICHA (2 mm, labels
# above 127) are resampled to the BOLD grid by nearest neighbour; row i of
# every output is label i. --threads 1 and 2 give identical bytes. And with
# motion jumps, the scrubbed pipeline (censored volumes interpolated for the
# high-pass) agrees with the python peer of bench/connectivity_peer.py.
# (High-pass only: 36 band-passed regressors on 60 volumes are nearly
# rank-deficient, and the two QR implementations then differ at 1e-4.)
source "$(dirname "$0")/../cli/lib.sh"
C="$AXON_BIN/axon-connectivity"
"$AXON_TESTDATA_BIN/axon-testdata" fmri "$work/sim" --volumes 60 --seed 9 --motion jumps >/dev/null ||
  { echo "testdata failed"; exit 1; }
B="$work/sim/bold.nii.gz"
for atlas in aal harvard-oxford-cort aicha; do
  mkdir -p "$work/$atlas"
  "$C" roi --bold "$B" --atlas "$atlas" --mask "$work/sim/brainmask.nii.gz" --out "$work/$atlas" -q ||
    { fail "roi --atlas $atlas failed"; continue; }
done
"$AXON_PYTHON" - "$work" <<'PY' || fail "atlas outputs"
import sys, glob, json
import numpy as np
w = sys.argv[1]
expect = {"aal": 116, "harvard-oxford-cort": 48, "aicha": 192}
for atlas, n in expect.items():
    (cov,) = glob.glob(f"{w}/{atlas}/*_coverage.tsv")
    rows = [l.rstrip("\n").split("\t") for l in open(cov)][1:]
    idx = [int(r[0]) for r in rows]
    assert len(idx) == n and idx == sorted(idx), (atlas, len(idx))
    (rel,) = glob.glob(f"{w}/{atlas}/*_meas-correlation_relmat.tsv")
    m = np.genfromtxt(rel, delimiter="\t", skip_header=1, missing_values="n/a", filling_values=np.nan)
    assert m.shape == (n, n), (atlas, m.shape)
    included = np.array([r[5] == "1" for r in rows])
    assert np.all(np.isfinite(m[np.ix_(included, included)])), atlas
    assert np.all(np.isnan(m[~included])), atlas
    assert included.mean() > 0.5, (atlas, included.mean())
    meta = json.load(open(rel[:-4] + ".json"))
    assert meta["AtlasResampled"] is True, atlas
    if atlas == "aicha":
        assert max(idx) > 127 and all(v > 0 for v in idx), "AICHA labels above 127 lost"
print("ok")
PY
mkdir -p "$work/t1" "$work/t2"
for n in 1 2; do
  "$C" roi --bold "$B" --atlas aal --threads $n --high-pass 0.01 --kind correlation --kind partial \
    --out "$work/t$n" -q || fail "threads $n"
done
for f in "$work"/t1/*.tsv "$work"/t1/*.png; do
  cmp -s "$f" "$work/t2/$(basename "$f")" || fail "--threads 1 and 2 differ: $(basename "$f")"
done
"$AXON_PYTHON" "$AXON_SOURCE/tests/connectivity/fmriprep_confounds.py" "$work/sim" || fail "confounds"
mkdir -p "$work/scrub"
"$C" roi --bold "$B" --atlas "$work/sim/atlas.nii.gz" --mask "$work/sim/brainmask.nii.gz" \
  --confounds "$work/sim/desc-confounds_timeseries.tsv" --strategy 36P --high-pass 0.01 \
  --censor-fd 0.5 --min-coverage 0 --out "$work/scrub" -q || fail "scrubbed roi failed"
"$AXON_PYTHON" "$AXON_SOURCE/bench/connectivity_peer.py" "$B" "$work/sim/atlas.nii.gz" \
  "$work/sim/brainmask.nii.gz" "$work/sim/desc-confounds_timeseries.tsv" "$work/peer.tsv" 0 || fail "peer failed"
"$AXON_PYTHON" - "$work" <<'PY' || fail "scrubbed pipeline differs from the python peer"
import sys, glob, numpy as np
w = sys.argv[1]
(c,) = glob.glob(f"{w}/scrub/*_censoring.tsv")
censored = sum(1 for l in open(c).readlines()[1:] if l.split("\t")[1] == "0")
assert censored >= 2, f"only {censored} volumes censored: the jumps should be"
(p,) = glob.glob(f"{w}/scrub/*_meas-correlation_relmat.tsv")
ours = np.genfromtxt(p, delimiter="\t", skip_header=1, missing_values="n/a", filling_values=np.nan)
ref = np.loadtxt(f"{w}/peer.tsv", delimiter="\t")
d = np.nanmax(np.abs(ours - ref))
print(f"{censored} volumes censored; scrubbed pipeline vs python peer: largest difference {d:.2e}")
assert d < 1e-4
PY
finish
