#!/bin/bash
# Ground truth: on a synthetic run (150 volumes, no motion) the correlation
# recovered after regressing the true confounds (drift, global signal) is
# close to the truth, within the sampling error of 150 volumes, and much
# closer than without cleaning.
source "$(dirname "$0")/../cli/lib.sh"
C="$AXON_BIN/axon-connectivity"
"$AXON_TESTDATA_BIN/axon-testdata" fmri "$work/sim" --volumes 150 --seed 5 --motion none >/dev/null ||
  { echo "testdata failed"; exit 1; }
mkdir -p "$work/clean" "$work/raw"
"$C" roi --bold "$work/sim/bold.nii.gz" --atlas "$work/sim/atlas.nii.gz" --mask "$work/sim/brainmask.nii.gz" \
  --confounds "$work/sim/true_confounds.tsv" --confound-columns drift global_signal --out "$work/clean" -q ||
  fail "roi with the true confounds failed"
"$C" roi --bold "$work/sim/bold.nii.gz" --atlas "$work/sim/atlas.nii.gz" --mask "$work/sim/brainmask.nii.gz" \
  --strategy none --out "$work/raw" -q || fail "roi without confounds failed"

# The fMRIPrep-style route: a confounds TSV with fMRIPrep's column names
# (motion, its derivatives and squares, csf, white_matter, global_signal
# with theirs) built from the truth; 36P plus a 0.01 Hz high-pass, which
# takes the drift's quadratic part that linear detrending leaves.
"$AXON_PYTHON" "$AXON_SOURCE/tests/connectivity/fmriprep_confounds.py" "$work/sim" ||
  fail "building the fMRIPrep-style confounds"
mkdir -p "$work/fmriprep"
"$C" roi --bold "$work/sim/bold.nii.gz" --atlas "$work/sim/atlas.nii.gz" --mask "$work/sim/brainmask.nii.gz" \
  --confounds "$work/sim/desc-confounds_timeseries.tsv" --strategy 36P --high-pass 0.01 --out "$work/fmriprep" -q ||
  fail "roi with 36P failed"

# The whole pipeline (parcel means, 36P, band-pass, scrubbing, correlation)
# against the numpy/nibabel/scipy/sklearn peer of bench/connectivity_peer.py.
mkdir -p "$work/peer"
"$C" roi --bold "$work/sim/bold.nii.gz" --atlas "$work/sim/atlas.nii.gz" --mask "$work/sim/brainmask.nii.gz" \
  --confounds "$work/sim/desc-confounds_timeseries.tsv" --strategy 36P --high-pass 0.01 --low-pass 0.1 \
  --censor-fd 0.5 --min-coverage 0 --out "$work/peer" -q || fail "roi with the peer's settings failed"
"$AXON_PYTHON" "$AXON_SOURCE/bench/connectivity_peer.py" "$work/sim/bold.nii.gz" "$work/sim/atlas.nii.gz" \
  "$work/sim/brainmask.nii.gz" "$work/sim/desc-confounds_timeseries.tsv" "$work/peer.tsv" ||
  fail "the python peer failed"
"$AXON_PYTHON" - "$work" <<'PY' || fail "whole pipeline differs from the python peer"
import sys, glob, numpy as np
w = sys.argv[1]
(p,) = glob.glob(f"{w}/peer/*_meas-correlation_relmat.tsv")
ours = np.genfromtxt(p, delimiter="\t", skip_header=1, missing_values="n/a", filling_values=np.nan)
ref = np.loadtxt(f"{w}/peer.tsv", delimiter="\t")
assert ours.shape == ref.shape, (ours.shape, ref.shape)
d = np.nanmax(np.abs(ours - ref))
print(f"whole pipeline vs python peer: largest difference {d:.2e}")
assert d < 1e-4
PY

"$AXON_PYTHON" - "$work" <<'PY' || fail "accuracy against the ground truth"
import sys, glob
import numpy as np
w = sys.argv[1]
def relmat(d):
    (p,) = glob.glob(f"{w}/{d}/*_meas-correlation_relmat.tsv")
    return np.genfromtxt(p, delimiter="\t", skip_header=1, missing_values="n/a", filling_values=np.nan)
truth = np.genfromtxt(f"{w}/sim/true_correlation.tsv", delimiter="\t", skip_header=1)
if truth.shape[0] != truth.shape[1]:  # a first column of names
    truth = truth[:, 1:]
signals = np.genfromtxt(f"{w}/sim/true_region_signals.tsv", delimiter="\t", skip_header=1)
sample = np.corrcoef(signals, rowvar=False)
T = signals.shape[0]
iu = np.triu_indices(truth.shape[0], 1)
clean, raw = relmat("clean"), relmat("raw")
ok = np.isfinite(clean[iu])
assert ok.mean() > 0.9, f"only {ok.mean():.2f} of the edges are finite"
mae = lambda m, ref: np.nanmean(np.abs(m[iu] - ref[iu]))
# Sampling error of a correlation from T iid samples: sd (1 - rho^2)/sqrt(T),
# so E|r - rho| = sqrt(2/pi) (1 - rho^2)/sqrt(T); 1.5x leaves room for the
# scanner noise and the regressors' degrees of freedom.
bound = 1.5 * np.sqrt(2 / np.pi) * np.mean(1 - truth[iu] ** 2) / np.sqrt(T)
e_true, e_sample, e_raw = mae(clean, truth), mae(clean, sample), mae(raw, sample)
fmriprep = relmat("fmriprep")
e_36p, e_36p_sample = mae(fmriprep, truth), mae(fmriprep, sample)
print(f"36P + high-pass: MAE vs true correlation {e_36p:.4f}, vs the true signals' correlation {e_36p_sample:.4f}")
assert e_36p < bound, "36P correlation farther from the truth than sampling error allows"
# (Against the true signals' own correlation 36P is not compared: the
# high-pass filter changes the white region signals themselves.)
print(f"MAE vs true correlation {e_true:.4f} (bound {bound:.4f}); vs sample correlation of the true "
      f"signals: cleaned {e_sample:.4f}, uncleaned {e_raw:.4f}")
assert e_true < bound, "cleaned correlation farther from the truth than sampling error allows"
assert e_sample < 0.03, "cleaned correlation differs from the true signals' own correlation"
assert e_raw > 3 * e_sample, "cleaning does not matter?"
PY
finish
