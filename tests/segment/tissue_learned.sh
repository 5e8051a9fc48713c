#!/usr/bin/env bash
# axon-segment tissue --method learned on Colin27 (ch2bet, 1 mm, a 64-slice
# axial slab through the ventricles, to keep the test short; the shipped
# network never saw it): labels 1..3 inside the mask and 0 outside,
# class probabilities (--pve) that sum to 1 in the mask and give the labels
# at the card's thresholds (GM + WM = p(parenchyma), WM = p(wm)), the same bytes for 1 and
# 2 threads, the sidecar's provenance (card SHA-256, label convention), and
# a floor of Dice 0.80 for white matter against the classical method's on the
# same image (two methods agreeing, not ground truth: it catches a broken
# network; accuracy against manual labels is tissue_learned_real.sh's).
# Bad input: --out-bias, --classes 4 with the learned method and --model with
# the classical one exit 2; a card that is not a tissue card (the brain
# card), a corrupt TorchScript file and a missing card exit 3 with one line
# naming the file, nothing left behind.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
sg="$AXON_BIN/axon-segment"
card="$AXON_SOURCE/models/tissue-ibsr/card.json"
[ -f "$AXON_SOURCE/models/tissue-ibsr/all.pt" ] || { echo "SKIP: the shipped tissue network is not trained yet"; exit 77; }
"$AXON_PYTHON" - "$work" <<'PY' || { echo "FAIL: making inputs"; exit 1; }
import sys, nibabel as nib, numpy as np
work = sys.argv[1]
img = nib.load("/usr/share/mricron/templates/ch2bet.nii.gz")
data = np.asarray(img.dataobj).astype(np.float32)[:, :, 60:124]
affine = img.affine @ np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 60], [0, 0, 0, 1]])
nib.save(nib.Nifti1Image(data, affine), f"{work}/t1.nii.gz")
nib.save(nib.Nifti1Image((data > 0).astype(np.uint8), affine), f"{work}/mask.nii.gz")
PY
in=("$work/t1.nii.gz" --mask "$work/mask.nii.gz")
L=(--method learned --tta none)
"$sg" tissue -q "${L[@]}" "${in[@]}" --out-labels "$work/learned.nii.gz" --pve "$work/p" || fail "learned exited $?"
"$sg" tissue -q "${L[@]}" --threads 1 "${in[@]}" --out-labels "$work/learned1.nii.gz" || fail "--threads 1 exited $?"
cmp -s "$work/learned.nii.gz" "$work/learned1.nii.gz" || fail "the labels differ between 1 and 2 threads"
"$sg" tissue -q "${in[@]}" --out-labels "$work/classical.nii.gz" || fail "classical exited $?"
"$AXON_PYTHON" - "$work" "$card" <<'PY' || fail "labels, probabilities, agreement or sidecar"
import hashlib, json, sys
import nibabel as nib, numpy as np
work, card = sys.argv[1:]
load = lambda p: np.asarray(nib.load(f"{work}/{p}").dataobj)
learned, classical, mask = load("learned.nii.gz"), load("classical.nii.gz"), load("mask.nii.gz") > 0
p = np.stack([load(f"p_pve_{k}.nii.gz") for k in (1, 2, 3)])
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok &= bool(cond)
check(set(np.unique(learned[mask])) <= {1, 2, 3} and (learned[~mask] == 0).all(), "labels 1..3 in the mask, 0 outside")
check(all((learned[mask] == k).mean() > 0.02 for k in (1, 2, 3)), "every class holds > 2 % of the mask")
check(np.abs(p.sum(0)[mask] - 1).max() < 1e-4 and (p[:, ~mask] == 0).all(), "probabilities sum to 1 in the mask, 0 outside")
t = {c["name"]: c["threshold"] for c in json.load(open(card))["output"]["channels"]}
remade = np.where(mask, 1, 0)
remade[mask & (p[1] + p[2] > t["parenchyma"])] = 2
remade[mask & (p[2] > t["wm"])] = 3
agree = (remade[mask] == learned[mask]).mean()
check(agree > 0.999, f"the labels are the card's thresholds on the probabilities ({agree:.5f} of the mask)")
dice = lambda a, b: 2 * (a & b).sum() / (a.sum() + b.sum())
d = dice(learned == 3, classical == 3)
check(d >= 0.80, f"WM Dice against the classical method {d:.4f} >= 0.80 (floor)")
side = json.load(open(f"{work}/learned.json"))["TissueClasses"]
check(side["model"]["card_sha256"] == hashlib.sha256(open(card, "rb").read()).hexdigest(), "sidecar card SHA-256")
check(side["label_convention"] == "ibsr-csf-gm-wm" and side["method"].startswith("learned"), "sidecar convention, method")
sys.exit(0 if ok else 1)
PY
printf 'not TorchScript' > "$work/garbage.pt"
"$AXON_PYTHON" - "$card" "$work/garbage.pt" "$work/corrupt_card.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["models"] = [sys.argv[2]]
json.dump(c, open(sys.argv[3], "w"))
PY
out="$work/out/seg.nii.gz"; mkdir -p "$work/out"
expect_error 2 "$out" "$sg" tissue "${L[@]}" "${in[@]}" --out-labels "$out" --out-bias "$work/out/bias.nii.gz"
expect_error 2 "$out" "$sg" tissue "${L[@]}" --classes 4 "${in[@]}" --out-labels "$out"
expect_error 2 "$out" "$sg" tissue --model "$card" "${in[@]}" --out-labels "$out"
expect_error 3 "$out" "$sg" tissue "${L[@]}" --model "$AXON_SOURCE/models/brain-ixi/card.json" "${in[@]}" --out-labels "$out"
grep -q "brain-ixi/card.json" "$work/stderr" || fail "the brain card's error does not name it: $(cat "$work/stderr")"
expect_error 3 "$out" "$sg" tissue "${L[@]}" --model "$work/corrupt_card.json" "${in[@]}" --out-labels "$out"
grep -q "garbage.pt" "$work/stderr" || fail "the corrupt model's error does not name it: $(cat "$work/stderr")"
expect_error 3 "$out" "$sg" tissue "${L[@]}" --model "$work/missing.json" "${in[@]}" --out-labels "$out"
finish
