"""The learned rows of bench/segment_tissue_real.sh at thresholds chosen by
nested cross-validation: for fold k's scans, the pair of thresholds (on the
'parenchyma' and 'wm' probabilities) with the best mean of GM and WM Dice on
the other folds' scans. Labels are remade from the class probabilities the
tool wrote (--pve: CSF, GM, WM with GM + WM = p(parenchyma) where p(wm) <=
p(parenchyma)), checked against the tool's own labels at the card's
thresholds. With --card, the figures and the thresholds chosen on all scans
(for the shipped network) are written into the model card.
Input lines (tab-separated): scan, fold, truth labels, pve prefix, tool labels."""
import argparse
import json

import nibabel as nib
import numpy as np

GRID = [round(t, 2) for t in np.arange(0.1, 0.91, 0.05)]


def load(path):
    return np.asarray(nib.load(path).dataobj)


def dice(a, b):
    return 2.0 * (a & b).sum() / max(a.sum() + b.sum(), 1)


def labels_at(p_par, p_wm, t_par, t_wm):
    """The tool's painting: CSF (1), parenchyma above t_par -> GM (2), wm above t_wm -> WM (3) over it."""
    out = np.ones(p_par.shape, np.uint8)
    out[p_par > t_par] = 2
    out[p_wm > t_wm] = 3
    return out


ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("--rows", required=True)
ap.add_argument("--card", required=True, help="the card the folds ran with (its thresholds)")
ap.add_argument("--update-card", action="store_true")
a = ap.parse_args()
card = json.load(open(a.card))
t_card = {c["name"]: c.get("threshold", 0.5) for c in card["output"]["channels"]}

folds, curves = {}, {}
for line in open(a.rows):
    scan, fold, truth, prefix, tool = line.rstrip("\n").split("\t")
    t = load(truth)
    inside = t > 0
    truth_in = t[inside]
    gm, wm = (load(f"{prefix}_pve_{k}.nii.gz")[inside] for k in (2, 3))
    p_par, p_wm = gm + wm, wm
    remade = labels_at(p_par, p_wm, t_card["parenchyma"], t_card["wm"])
    agree = (remade == load(tool)[inside]).mean()
    assert agree > 0.999, f"{scan}: labels remade from the probabilities agree on {agree:.4f} of the mask only"
    folds[scan] = int(fold)
    curves[scan] = {}
    for tp in GRID:
        for tw in GRID:
            lab = labels_at(p_par, p_wm, tp, tw)
            curves[scan][(tp, tw)] = tuple(dice(lab == c, truth_in == c) for c in (1, 2, 3))


def best(scans):
    return max(curves[scans[0]], key=lambda th: (np.mean([np.mean(curves[s][th][1:]) for s in scans]),
                                                   -abs(th[0] - 0.5) - abs(th[1] - 0.5)))


if len(set(folds.values())) < 2:
    raise SystemExit("learned: nested cross-validation needs scans of at least two folds")
chosen = {k: best([s for s in curves if folds[s] != k]) for k in sorted(set(folds.values()))}
final = best(list(curves))
print("\nlearned, out of fold, thresholds (parenchyma, wm) chosen by nested cross-validation")
print(f"{'scan':8s} {'fold':>4s} {'thresholds':>12s}   {'CSF':>7s} {'GM':>7s} {'WM':>7s}")
rows = {}
for s in sorted(curves):
    th = chosen[folds[s]]
    rows[s] = curves[s][th]
    print(f"{s:8s} {folds[s]:>4d} {th[0]:5.2f} {th[1]:5.2f}   " + " ".join(f"{v:7.4f}" for v in rows[s]))
r = np.array(list(rows.values()))
print(f"{'mean':8s} {'':>4s} {'':>12s}   " + " ".join(f"{v:7.4f}" for v in r.mean(0)))
print(f"{'worst':8s} {'':>4s} {'':>12s}   " + " ".join(f"{v:7.4f}" for v in r.min(0)))
at_card = np.array([curves[s][(t_card["parenchyma"], t_card["wm"])] for s in curves]) \
    if (t_card["parenchyma"], t_card["wm"]) in curves[next(iter(curves))] else None
if at_card is not None:
    print(f"at the card's thresholds {t_card['parenchyma']}, {t_card['wm']} (out of fold): mean "
          + " ".join(f"{v:.4f}" for v in at_card.mean(0)))
print(f"chosen on all {len(curves)} scans (the shipped card's): parenchyma {final[0]}, wm {final[1]}")

if a.update_card:
    for channel in card["output"]["channels"]:
        channel["threshold"] = final[0] if channel["name"] == "parenchyma" else final[1]
    card["cross_validation"] = {
        "kind": "5-fold by subject, out-of-fold (each scan run by the one fold network that never saw it), mirror "
                "TTA, thresholds on the two region probabilities chosen by nested cross-validation (on the other "
                "four folds), Dice per class inside the manual brain mask against IBSR's manual labels",
        "command": "bench/segment_tissue_real.sh build 2 --update-card",
        "scans": len(curves),
        "thresholds_shipped": {"parenchyma": final[0], "wm": final[1],
                               "note": "chosen on all out-of-fold scans; the card's output.channels[].threshold"},
        "nested_thresholds_per_fold": {str(k): list(v) for k, v in chosen.items()},
        "mean": {"csf": round(float(r[:, 0].mean()), 4), "gm": round(float(r[:, 1].mean()), 4),
                 "wm": round(float(r[:, 2].mean()), 4)},
        "worst": {"csf": round(float(r[:, 0].min()), 4), "gm": round(float(r[:, 1].min()), 4),
                  "wm": round(float(r[:, 2].min()), 4)},
        "per_scan": {s: {"fold": folds[s], "csf": round(float(v[0]), 4), "gm": round(float(v[1]), 4),
                         "wm": round(float(v[2]), 4)} for s, v in rows.items()},
    }
    with open(a.card, "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"wrote thresholds and out-of-fold figures into {a.card}")
