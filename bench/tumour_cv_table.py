"""Aggregates the out-of-fold tumour evaluation of bench/segment_tumour_cv.sh.

Reads one `axon-segment evaluate --brats --json` summary per case, prints the
per-case and mean table beside the seed paper's figures, cross-checks the
first case's Dice against numpy (and HD95 against a scipy distance-transform
computation), and with --card writes the figures into the model card.
"""
import argparse
import json
import math

import nibabel as nib
import numpy as np
from scipy import ndimage

REGIONS = {"WT": (1, 2, 4), "TC": (1, 4), "ET": (4,)}


def numpy_dice_hd95(pred_path, ref_path):
    pred = np.asarray(nib.load(pred_path).dataobj)
    ref_img = nib.load(ref_path)
    ref = np.asarray(ref_img.dataobj)
    spacing = ref_img.header.get_zooms()[:3]
    out = {}
    for name, labels in REGIONS.items():
        p, r = np.isin(pred, labels), np.isin(ref, labels)
        dice = 1.0 if not p.any() and not r.any() else 2 * (p & r).sum() / (p.sum() + r.sum())
        hd95 = float("nan")
        if p.any() and r.any():
            # MedPy's hd95: surface voxels (mask minus its 3x3x3-connectivity-1 erosion), distances in mm.
            sp = p ^ ndimage.binary_erosion(p, ndimage.generate_binary_structure(3, 1))
            sr = r ^ ndimage.binary_erosion(r, ndimage.generate_binary_structure(3, 1))
            dr = ndimage.distance_transform_edt(~sr, sampling=spacing)
            dp = ndimage.distance_transform_edt(~sp, sampling=spacing)
            hd95 = float(np.percentile(np.concatenate([dr[sp], dp[sr]]), 95))
        out[name] = (float(dice), hd95)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", required=True, help="TSV: case, fold, evaluate JSON path, prediction, reference")
    ap.add_argument("--card", help="model card to write the out-of-fold figures into")
    ap.add_argument("--command", default="bench/segment_tumour_cv.sh")
    a = ap.parse_args()
    rows = [line.rstrip("\n").split("\t") for line in open(a.rows) if line.strip()]
    table = {}
    print(f"{'case':24s} fold " + " ".join(f"{r + '_Dice':>8s} {r + '_HD95':>8s}" for r in REGIONS))
    for case, fold, path, _, _ in rows:
        regions = {r["region"]: r for r in json.load(open(path))["regions"]}
        table[case] = {"fold": int(fold), **{n: {"dice": regions[n]["dice"], "hd95_mm": regions[n]["hd95_mm"],
                                                 "ref_empty": regions[n]["ref_empty"]} for n in REGIONS}}
        print(f"{case:24s} {fold:>4s} " + " ".join(
            f"{regions[n]['dice']:8.4f} {regions[n]['hd95_mm']:8.2f}" for n in REGIONS))
    means = {n: {"dice": float(np.mean([t[n]["dice"] for t in table.values()])),
                 "hd95_mm": float(np.mean([t[n]["hd95_mm"] for t in table.values()]))} for n in REGIONS}
    print(f"{'mean (out-of-fold)':24s}      " + " ".join(f"{means[n]['dice']:8.4f} {means[n]['hd95_mm']:8.2f}"
                                                    for n in REGIONS))
    print(f"{'targets (issue 17)':24s}      {0.88:8.2f} {'':8s} {0.80:8.2f} {'':8s} {0.75:8.2f}")
    print("seed paper (MedNeXt, BraTS 2024 SSA, published, not measured here): mean Dice 0.896, HD95 14.7 mm")
    print("BraTS conventions: an empty truth and an empty prediction give Dice 1, HD95 0; one empty gives Dice 0 "
          "and HD95 = the grid diagonal (373.13 mm)")
    case, fold, path, pred, ref = rows[0]
    check = numpy_dice_hd95(pred, ref)
    worst = 0.0
    for n in REGIONS:
        d, h = check[n]
        worst = max(worst, abs(d - table[case][n]["dice"]))
        print(f"cross-check {case} {n}: numpy Dice {d:.6f} vs axon {table[case][n]['dice']:.6f}; "
              f"scipy HD95 {h:.3f} vs axon {table[case][n]['hd95_mm']:.3f}")
    if worst > 1e-6:
        raise SystemExit(f"numpy and axon Dice differ by {worst}")
    if a.card:
        card = json.load(open(a.card))
        card["cross_validation"] = {
            "kind": "5-fold by case, out-of-fold (each case segmented by the one fold model that never saw it), "
                    "mirror TTA, post-processing on, at the input's 1 mm grid",
            "command": a.command, "cases": len(table),
            "mean": {n: {"dice": round(means[n]["dice"], 4), "hd95_mm": round(means[n]["hd95_mm"], 2)} for n in REGIONS},
            "per_case": {c: {n: {"dice": round(t[n]["dice"], 4), "hd95_mm": round(t[n]["hd95_mm"], 2)}
                             for n in REGIONS} | {"fold": t["fold"]} for c, t in table.items()}}
        with open(a.card, "w") as f:
            json.dump(card, f, indent=2)
            f.write("\n")
        print(f"wrote the out-of-fold figures into {a.card}")


if __name__ == "__main__":
    main()
