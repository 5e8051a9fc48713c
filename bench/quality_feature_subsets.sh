#!/usr/bin/env bash
# Feature-subset study for the SSIM regressor (issue 8 follow-up): would
# dropping the anatomy-driven IQM features transfer better to unseen
# subjects? Reads a samples table (`scripts/train_model build 2 SAMPLES_TSV`,
# i.e. `axon-motion train --samples-table`), and for each subset prints
# (1) the Spearman correlation on the shipped split (train on the "training"
# rows, test on unseen motion of the training volumes and on the unseen
# volume) and (2) leave-one-subject-out Spearman (Colin27's three versions
# held out together). scikit-learn's HistGradientBoostingRegressor with the
# shipped model's depth, rate and rounds stands in for XGBoost. A last row,
# "...+monotone", refits the shipped subset with monotone constraints: a
# feature whose Spearman correlation with the SSIM over the training rows is
# at least 0.3 in size may only move the prediction in that direction (would
# forbidding the trees' non-monotone detours transfer better?).
# Usage: bench/quality_feature_subsets.sh SAMPLES_TSV
set -euo pipefail
/usr/bin/python3 - "$1" <<'PY'
import sys
import pandas as pd
from scipy.stats import spearmanr
from sklearn.ensemble import HistGradientBoostingRegressor
d = pd.read_csv(sys.argv[1], sep="\t", na_values=["n/a"])
feats = list(d.columns[3:])
art = feats[feats.index("ghost_shadow_max_mid"):]          # the 19 artefact (axis-ratio) features
kspace = [f for f in feats if f.startswith("kspace_band") and f.count("_") == 2]  # per-band fractions (67-feature tables)
blur = ["efc", "fwhm_max", "fwhm_min", "fwhm_avg"]
subsets = {"all": feats, "artefact": art, "artefact+efc+fwhm": art + blur, "artefact+kspace": art + kspace,
           "artefact+kspace+efc+fwhm": art + kspace + blur}
# A table from a model with fewer features: only the subsets it holds.
subsets = {k: v for k, v in subsets.items() if v and all(c in d.columns for c in v)}
subject = d.volume.map(lambda v: "colin27" if "/ch2" in v else v.split("/")[-1].split(".")[0])
fit = lambda rows, cols, cst=None: HistGradientBoostingRegressor(
    max_iter=400, max_depth=4, learning_rate=0.05, monotonic_cst=cst).fit(rows[cols], rows.true_ssim)
rho = lambda m, rows, cols: spearmanr(m.predict(rows[cols]), rows.true_ssim)[0]
subjects = sorted(subject.unique())
print("%-26s %5s %8s %8s | LOSO: %s" % ("features", "n", "(a)", "(b)", " ".join("%10s" % s[:10] for s in subjects)))
train = d[d.set == "training"]
runs = [(name, cols, None) for name, cols in subsets.items()]
if "artefact+efc+fwhm" in subsets:
    cols = subsets["artefact+efc+fwhm"]
    signs = [spearmanr(train[c], train.true_ssim, nan_policy="omit")[0] for c in cols]
    runs.append(("artefact+efc+fwhm+monotone", cols, [int(r > 0) - int(r < 0) if abs(r) >= 0.3 else 0 for r in signs]))
for name, cols, cst in runs:
    m = fit(train, cols, cst)
    a = rho(m, d[d.set == "unseen_motion_training_volumes"], cols)
    b = rho(m, d[d.set == "unseen_volumes"], cols)
    loso = [rho(fit(d[subject != s], cols, cst), d[subject == s], cols) for s in subjects]
    print("%-26s %5d %8.3f %8.3f |       %s" % (name, len(cols), a, b, " ".join("%10.3f" % v for v in loso)))
PY
