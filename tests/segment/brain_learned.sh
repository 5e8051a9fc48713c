#!/usr/bin/env bash
# axon-segment brain --method learned on Colin27 at 2 mm (the shipped
# network never saw it): what the two regions mean (--no-csf is a strictly
# smaller mask inside the default one), the same bytes for 1 and 2 threads,
# --out-probability is the probability the mask was cut from (the mask is
# its largest component above the card's threshold, holes filled), the
# sidecar's provenance (card SHA-256 = the card's, region, threshold), and a
# floor of Dice 0.80 against ch2bet for the mask and for a skull-stripped
# input (ch2bet itself) against its non-zero head: the network is at
# 0.84-0.87 there, below the classical method's 0.97 (a known domain gap,
# docs/axon-segment.md#brain), so this catches a broken network, not a
# regression of a point. Its accuracy on real heads is
# brain_learned_real.sh's. Bad input: --no-csf, --model or --threshold with
# the classical method, or a threshold outside (0, 1), exit 2; a card that
# is not a brain card (the tiny tumour card), a corrupt TorchScript file, a
# missing card and an all-zero image exit 3 with one line naming the file,
# nothing left behind.
source "$AXON_SOURCE/tests/cli/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
sg="$AXON_BIN/axon-segment"
card="$AXON_SOURCE/models/brain-ixi/card.json"
[ -f "$AXON_SOURCE/models/brain-ixi/all.pt" ] || { echo "SKIP: the shipped brain network is not trained yet"; exit 77; }
"$AXON_PYTHON" "$AXON_SOURCE/tests/segment/make_brain_variants.py" "$work" --voxel 2 --cases plain >/dev/null ||
  { echo "FAIL: making inputs"; exit 1; }
"$AXON_PYTHON" - "$work" <<'PY' || { echo "FAIL: making the stripped and zero inputs"; exit 1; }
import sys, nibabel as nib, numpy as np
work = sys.argv[1]
img = nib.load("/usr/share/mricron/templates/ch2bet.nii.gz")
data = np.asarray(img.dataobj)[::2, ::2, ::2].astype(np.float32)
aff = img.affine.copy(); aff[:3, :3] *= 2
nib.save(nib.Nifti1Image(data, aff), f"{work}/stripped.nii.gz")
nib.save(nib.Nifti1Image(np.zeros_like(data), aff), f"{work}/zero.nii.gz")
PY
"$AXON_PYTHON" "$AXON_SOURCE/tests/segment/make_tiny_tumour_model.py" "$work/fx" >/dev/null ||
  { echo "FAIL: making the tiny tumour card"; exit 1; }
in="$work/plain_t1.nii.gz"
L=(--method learned)
"$sg" brain -q "${L[@]}" "$in" --out-mask "$work/icv.nii.gz" --out-probability "$work/p.nii.gz" || fail "learned exited $?"
"$sg" brain -q "${L[@]}" --threads 1 "$in" --out-mask "$work/icv1.nii.gz" || fail "--threads 1 exited $?"
cmp -s "$work/icv.nii.gz" "$work/icv1.nii.gz" || fail "the mask differs between 1 and 2 threads"
"$sg" brain -q "${L[@]}" --no-csf "$in" --out-mask "$work/tissue.nii.gz" || fail "--no-csf exited $?"
"$sg" brain -q "${L[@]}" "$work/stripped.nii.gz" --out-mask "$work/stripped_mask.nii.gz" || fail "stripped input exited $?"
"$AXON_PYTHON" - "$work" "$card" <<'PY' || fail "regions, probability, stripped input or sidecar"
import hashlib, json, sys
import nibabel as nib, numpy as np
from scipy import ndimage
work, card = sys.argv[1:]
m = lambda p: np.asarray(nib.load(f"{work}/{p}").dataobj) > 0
icv, tissue, truth = m("icv.nii.gz"), m("tissue.nii.gz"), m("plain_truth.nii.gz")
dice = lambda a, b: 2 * (a & b).sum() / (a.sum() + b.sum())
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok &= bool(cond)
side = json.load(open(f"{work}/icv.json"))["BrainExtraction"]
t = side["threshold"]
channels = {c["name"]: c for c in json.load(open(card))["output"]["channels"]}
check(abs(t - channels["intracranial"].get("threshold", 0.5)) < 1e-6, f"threshold {t} is the card's")
p = np.asarray(nib.load(f"{work}/p.nii.gz").dataobj)
labels, n = ndimage.label(p > t)
remade = ndimage.binary_fill_holes(labels == 1 + int(np.argmax(np.bincount(labels.ravel())[1:])))
check(np.array_equal(remade, icv), "the mask is the probability's largest component above the threshold, filled")
check(tissue.sum() < 0.97 * icv.sum(), f"--no-csf is smaller: {tissue.sum()} < 0.97 x {icv.sum()} voxels")
check((tissue & ~icv).sum() <= 0.01 * tissue.sum(), f"--no-csf lies inside the default mask ({(tissue & ~icv).sum()} outside)")
check(dice(icv, truth) >= 0.80, f"Dice vs ch2bet {dice(icv, truth):.4f} >= 0.80 (floor; classical: 0.97)")
stripped = np.asarray(nib.load(f"{work}/stripped.nii.gz").dataobj) != 0
d = dice(m("stripped_mask.nii.gz"), stripped)
check(d >= 0.80, f"skull-stripped input: Dice vs the non-zero head {d:.4f} >= 0.80 (floor)")
check(side["model"]["card_sha256"] == hashlib.sha256(open(card, "rb").read()).hexdigest(), "sidecar card SHA-256")
check(side["region"] == "intracranial" and side["method"].startswith("learned"), "sidecar region and method")
check(json.load(open(f"{work}/tissue.json"))["BrainExtraction"]["region"] == "tissue", "--no-csf sidecar region")
sys.exit(0 if ok else 1)
PY
printf 'not TorchScript' > "$work/fx/garbage.pt"
"$AXON_PYTHON" - "$card" "$work/fx/garbage.pt" "$work/corrupt_card.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["models"] = [sys.argv[2]]
json.dump(c, open(sys.argv[3], "w"))
PY
out="$work/out/mask.nii.gz"; mkdir -p "$work/out"
expect_error 2 "$out" "$sg" brain --no-csf "$in" --out-mask "$out"
expect_error 2 "$out" "$sg" brain --method classical --model "$card" "$in" --out-mask "$out"
expect_error 2 "$out" "$sg" brain --threshold 0.3 "$in" --out-mask "$out"
expect_error 2 "$out" "$sg" brain "${L[@]}" --threshold 1.5 "$in" --out-mask "$out"
expect_error 3 "$out" "$sg" brain "${L[@]}" --model "$work/fx/card.json" "$in" --out-mask "$out"
grep -q "card.json" "$work/stderr" || fail "the tumour card's error does not name it: $(cat "$work/stderr")"
expect_error 3 "$out" "$sg" brain "${L[@]}" --model "$work/corrupt_card.json" "$in" --out-mask "$out"
grep -q "garbage.pt" "$work/stderr" || fail "the corrupt model's error does not name it: $(cat "$work/stderr")"
expect_error 3 "$out" "$sg" brain "${L[@]}" --model "$work/missing.json" "$in" --out-mask "$out"
expect_error 3 "$out" "$sg" brain "${L[@]}" "$work/zero.nii.gz" --out-mask "$out"
grep -q "zero.nii.gz" "$work/stderr" || fail "the all-zero error does not name the image: $(cat "$work/stderr")"
finish
