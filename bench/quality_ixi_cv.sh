#!/usr/bin/env bash
# Cross-validation BY SUBJECT of the SSIM regressor on the 30 real IXI heads
# (2 mm T1 with skull, ../shared/data/ixi; issue 18): 5 folds of 6 subjects,
# each fold trained by `axon-motion train` on the 24 other heads (samples
# augmented as the shipped model's, corrupted by the --simulators TRAIN_SIMS)
# and measured on its 6 held-out heads as they are (no augmentation),
# corrupted at random severities (0-8 degrees, 0-8 mm, 1-8 moves, ghosting in
# 25 %) by EVAL_SIMS, which include a corruption model the training never
# used (default: shots). Prints, per corruption model and pooled:
# Spearman(predicted, true SSIM) pooled over subjects and within each
# subject's own series (mean over subjects), residual mean and SD, MAE and
# 3/5/10-class accuracy, beside the seed paper's (Marchetto et al.: residual
# SD 0.0139, 97/95/89 %) and beside the shipped model (models/
# motion_ssim_default.json, never trained on IXI) on the very same samples;
# then the predicted SSIM of every uncorrupted head (class "good" needs
# >= 0.85). Every figure is recomputed here with numpy/scipy from the
# per-sample tables `train --eval-table` writes (OUT/fold_K_eval.tsv).
# The data stay where they are (never copied): the fold lists name them.
# Usage: bench/quality_ixi_cv.sh [BUILD_DIR] [THREADS] [OUT_DIR]
#   env: AXON_SHARED_DATA (../shared/data), TRAIN_SIMS (kspace,drift),
#        EVAL_SIMS (kspace,drift,shots), SAMPLES (800 per fold), EVAL (120 per
#        fold), ROUNDS (400), SEED (42), FOLDS (5), AUGMENT (1: the fraction
#        of training samples augmented, --augment-probability), TABLE_ONLY=1 (re-print
#        from OUT_DIR's tables without training)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
threads=${2:-2}
out=${3:-$(mktemp -d /tmp/quality_ixi_cv.XXXXXX)}
data=${AXON_SHARED_DATA:-$here/../shared/data}
train_sims=${TRAIN_SIMS:-kspace,drift}
eval_sims=${EVAL_SIMS:-kspace,drift,shots}
samples=${SAMPLES:-800}
eval=${EVAL:-120}
rounds=${ROUNDS:-400}
seed=${SEED:-42}
folds=${FOLDS:-5}
augment=${AUGMENT:-1}
if [ ! -d "$data/ixi/t1" ]; then
  echo "quality_ixi_cv: SKIP: $data/ixi/t1 is absent (set AXON_SHARED_DATA)" >&2
  exit 0
fi
mkdir -p "$out"
mapfile -t heads < <(ls "$data"/ixi/t1/*_T1.nii.gz | sort)
[ "${#heads[@]}" -ge "$folds" ] || { echo "quality_ixi_cv: too few heads in $data/ixi/t1" >&2; exit 1; }
echo "quality_ixi_cv: ${#heads[@]} IXI heads, $folds folds by subject, training on $train_sims, measured on $eval_sims;"
echo "  $samples training samples per fold (augmented: $augment) and $eval held-out, $rounds rounds, seed $seed, $threads threads;"
echo "  tables in $out"
start=$(date +%s)
if [ -z "${TABLE_ONLY:-}" ]; then
  for ((k = 0; k < folds; ++k)); do
    : >"$out/train_$k.txt"
    : >"$out/holdout_$k.txt"
    # Subject i (in sorted order) is held out in fold i mod FOLDS.
    for i in "${!heads[@]}"; do
      if ((i % folds == k)); then echo "${heads[$i]}" >>"$out/holdout_$k.txt"; else echo "${heads[$i]}" >>"$out/train_$k.txt"; fi
    done
    t0=$(date +%s)
    "$build/apps/axon-motion" train -q --threads "$threads" --seed "$seed" \
      --images "$out/train_$k.txt" --holdout "$out/holdout_$k.txt" \
      --simulators "$train_sims" --holdout-simulators "$eval_sims" --holdout-as-is --holdout-only \
      --samples "$samples" --eval-samples "$eval" --rounds "$rounds" --augment-probability "$augment" \
      --compare-model default \
      --out "$out/fold_$k.json" --eval-table "$out/fold_${k}_eval.tsv" --force >/dev/null
    echo "  fold $k: $(( $(date +%s) - t0 )) s"
  done
  echo "  wall time: $(( $(date +%s) - start )) s"
fi
/usr/bin/python3 - "$out" "$folds" "$train_sims" <<'PY'
import sys, json, numpy as np
from scipy.stats import spearmanr
out, folds, train_sims = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
# The corruption models the compared (shipped) model was trained on, from its own file.
compared = json.load(open(f"{out}/fold_0.json"))["training"].get("compared_model")
compared_sims = json.load(open(compared))["training"].get("simulators", ["kspace"]) if compared else []
rows = []
for k in range(folds):
    lines = [l.rstrip("\n").split("\t") for l in open(f"{out}/fold_{k}_eval.tsv")]
    head = lines[0]
    for l in lines[1:]:
        r = dict(zip(head, l)); r["fold"] = k; rows.append(r)
edges = {3: [0.60, 0.85], 5: [0.6, 0.7, 0.8, 0.9], 10: [0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95]}
cls = lambda v, k: np.searchsorted(edges[k], v, side="right")
subject = lambda path: path.split("/")[-1].split("_T1")[0]

def figures(sel, column):
    t = np.array([float(r["true_ssim"]) for r in sel]); p = np.array([float(r[column]) for r in sel])
    s = np.array([subject(r["volume"]) for r in sel])
    within = [spearmanr(p[s == u], t[s == u])[0] for u in np.unique(s) if (s == u).sum() >= 4 and np.ptp(t[s == u]) > 0]
    res = p - t
    acc = [np.mean(cls(p, k) == cls(t, k)) * 100 for k in (3, 5, 10)]
    return (len(t), spearmanr(p, t)[0], np.nanmean(within), np.nanmin(within), res.mean(), res.std(ddof=1),
            np.abs(res).mean(), *acc)

vol = [r for r in rows if r["set"] == "unseen_volumes"]
print()
print(f"{'model':9s} {'corruption':22s} {'n':>4s} {'Spearman':>8s} {'within':>6s} {'(min)':>6s} {'res.mean':>8s} "
      f"{'res.SD':>7s} {'MAE':>6s} {'acc3':>5s} {'acc5':>5s} {'acc10':>5s}")
sims = sorted(set(r["simulator"] for r in vol), key=lambda m: (m not in train_sims, m))
for column, name, trained in (("predicted_ssim", "CV fold", train_sims),
                              ("compared_predicted_ssim", "shipped", compared_sims)):
    if column not in rows[0]:
        continue
    for sim in sims + ["pooled"]:
        sel = [r for r in vol if sim == "pooled" or r["simulator"] == sim]
        label = sim if sim == "pooled" else sim + (" (trained)" if sim in trained else " (never trained)")
        n, rho, w, wmin, rm, rsd, mae, a3, a5, a10 = figures(sel, column)
        print(f"{name:9s} {label:22s} {n:4d} {rho:8.3f} {w:6.3f} {wmin:6.3f} {rm:8.4f} {rsd:7.4f} {mae:6.4f} "
              f"{a3:5.1f} {a5:5.1f} {a10:5.1f}")
print(f"{'paper':9s} {'(its own test set)':22s} {'':>4s} {'':>8s} {'':>6s} {'':>6s} {-0.0009:8.4f} {0.0139:7.4f} "
      f"{'':>6s} {97:5.1f} {95:5.1f} {89:5.1f}")
print("within: Spearman over each held-out subject's own corrupted series, mean over subjects (min: the worst subject)")
clean = [r for r in rows if r["set"] == "unseen_volumes_clean"]
if clean:
    print()
    print("uncorrupted heads (true SSIM 1; class good needs >= 0.85):")
    for column, name in (("predicted_ssim", "CV fold"), ("compared_predicted_ssim", "shipped")):
        if column not in clean[0]:
            continue
        p = np.array([float(r[column]) for r in clean])
        print(f"  {name:8s} n {len(p):2d}  min {p.min():.3f}  median {np.median(p):.3f}  max {p.max():.3f}  "
              f"good {np.mean(p >= 0.85) * 100:5.1f} %")
    print("  per head (CV fold model): " + ", ".join(f"{subject(r['volume'])} {float(r['predicted_ssim']):.3f}"
                                              for r in sorted(clean, key=lambda r: r["volume"])))
PY
