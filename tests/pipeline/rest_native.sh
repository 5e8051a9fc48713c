#!/usr/bin/env bash
# pipelines/rest-connectivity.yaml's two routes. The native route on a raw
# run: axon-testdata's synthetic run moved out of MNI space by a known rigid
# transform (its headers rewritten, so atlas.nii.gz stays the true label of
# every BOLD voxel), with Colin27 as the subject's T1, both at 3 mm (the
# template too) so that the whole route takes seconds. Checks: the atlas
# labels it brings onto the BOLD grid agree with the truth (and the MNI
# route's world-coordinate resampling would not), the BOLD brain mask, the
# WM/CSF classes reaching realign (white_matter, csf, a_comp_cor columns;
# the sidecar names the masks and labels), connectivity named atlas-aal, the
# registration overlays on the report page, a second run doing nothing, the Snakemake export of the route (folder
# outputs, files inside them) run by Snakemake with the same bytes; the MNI
# route's command lines exactly as before the routes existed; a bad
# --set space is a usage error.
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
pipeline="$AXON_SOURCE/pipelines/rest-connectivity.yaml"
agreement="$AXON_SOURCE/scripts/label_agreement.py"
cd "$work"
"$AXON_TESTDATA_BIN/axon-testdata" fmri sim --volumes 12 --jumps 1 --seed 5 -q || { fail "axon-testdata failed"; finish; }
"$AXON_TESTDATA_BIN/axon-testdata" fmri raw --volumes 12 --jumps 1 --seed 5 -q --scanner-space 12,-8,15,10,-14,20 ||
  { fail "axon-testdata --scanner-space failed"; finish; }
"$AXON_PYTHON" - "$T" <<'PY' || { fail "building the BIDS folders failed"; finish; }
import os, shutil, sys, numpy as np, nibabel as nib
T = sys.argv[1]
def block_mean(src, dst, f=3):
    # Colin27 at 3 mm: f^3 blocks averaged, the affine of the block centres.
    img = nib.load(os.path.join(T, src)); a = np.asarray(img.dataobj, dtype=np.float32)
    n = [s // f * f for s in a.shape]
    a = a[:n[0], :n[1], :n[2]].reshape(n[0] // f, f, n[1] // f, f, n[2] // f, f).mean(axis=(1, 3, 5))
    aff = img.affine.copy(); aff[:3, :3] *= f; aff[:3, 3] = img.affine[:3, :3] @ np.full(3, (f - 1) / 2) + img.affine[:3, 3]
    out = nib.Nifti1Image(a, aff); out.set_qform(aff, 1); out.set_sform(aff, 1)
    os.makedirs(os.path.dirname(dst) or ".", exist_ok=True); nib.save(out, dst)
block_mean("ch2.nii.gz", "raw_bids/sub-01/anat/sub-01_T1w.nii.gz")
block_mean("ch2bet.nii.gz", "template_3mm.nii.gz")
os.makedirs("raw_bids/sub-01/func"); shutil.copy("raw/bold.nii.gz", "raw_bids/sub-01/func/sub-01_task-rest_bold.nii.gz")
os.makedirs("mni_bids/sub-01/func")
shutil.copy("sim/bold.nii.gz", "mni_bids/sub-01/func/sub-01_task-rest_bold.nii.gz")
shutil.copy("sim/brainmask.nii.gz", "mni_bids/sub-01/func/sub-01_task-rest_desc-brain_mask.nii.gz")
PY

# The MNI route (the default): the three command lines of the file before it had routes, word for word.
"$P" run "$pipeline" --set bids=mni_bids --out mni_out --dry-run >mni.txt 2>&1 || fail "MNI dry run failed: $(cat mni.txt)"
B="$work/mni_bids/sub-01/func/sub-01_task-rest" O=sub-01/func/sub-01_task-rest
cat >mni_expected.txt <<EOF
axon-motion realign --bold ${B}_bold.nii.gz --out-confounds ${O}_desc-confounds_timeseries.tsv --reference mean --mask ${B}_desc-brain_mask.nii.gz --dummy-scans auto --out-tsnr ${O}_desc-tsnr_bold.nii.gz --report ${O}_desc-carpet_bold.png --threads 2 --force --json   # realign_sub-01_task-rest: never run
axon-connectivity roi --bold ${B}_bold.nii.gz --atlas aal --mask ${B}_desc-brain_mask.nii.gz --confounds ${O}_desc-confounds_timeseries.tsv --strategy 24P --high-pass 0.01 --kind correlation --kind partial --out ${O}_connectivity --threads 1 --force --json   # connectivity_sub-01_task-rest: realign_sub-01_task-rest runs first
axon-connectivity voxel --bold ${B}_bold.nii.gz --mask ${B}_desc-brain_mask.nii.gz --confounds ${O}_desc-confounds_timeseries.tsv --strategy 24P --high-pass 0.01 --maps degree,wdegree,alff,falff,reho --out ${O}_voxelmaps --threads 2 --force --json   # voxel_sub-01_task-rest: realign_sub-01_task-rest runs first
3 of 3 jobs would run; output folder $work/mni_out
EOF
diff mni_expected.txt mni.txt >mni.diff || fail "the MNI route changed: $(cat mni.diff)"

expect_error 2 "" "$P" run "$pipeline" --set bids=raw_bids --set space=nativ --dry-run
grep -q 'space=nativ: not one of mni, native' "$work/stderr" || fail "bad --set space message: $(cat "$work/stderr")"

# The native route, for real. 12 volumes leave too few degrees of freedom for 24P: 6P.
sets=(--set bids=raw_bids --set space=native --set template="$work/template_3mm.nii.gz" --set reference=first
      --set dummy_scans=0 --set strategy=6P)
"$P" run "$pipeline" "${sets[@]}" --out native --jobs 2 -q >native.log 2>&1 || fail "native run failed: $(tail -5 native.log)"
jobs=$(ls native/.axon-pipeline/jobs/*.json 2>/dev/null | wc -l)
[ "$jobs" -eq 11 ] || fail "native route ran $jobs jobs, expected 11"
F=native/sub-01/func/sub-01_task-rest
read -r agree world < <("$AXON_PYTHON" "$agreement" "${F}_atlas-aal_dseg.nii.gz" raw/atlas.nii.gz --world "$T/aal.nii.gz" |
  "$AXON_PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d["agreement"], d["world"])')
echo "atlas labels on the BOLD grid: $agree of the true labels (world-coordinate resampling: $world)"
"$AXON_PYTHON" -c "import sys; sys.exit(0 if float('$agree') >= 0.8 else 1)" || fail "label agreement $agree < 0.8"
"$AXON_PYTHON" -c "import sys; sys.exit(0 if float('$world') <= 0.2 else 1)" || fail "world resampling agrees $world: the run is not out of MNI space"
"$AXON_PYTHON" - "$F" <<'PY' || fail "native outputs"
import json, sys, numpy as np, nibabel as nib
f = sys.argv[1]
def dice(a, b): return 2 * (a & b).sum() / (a.sum() + b.sum())
mask = nib.load(f + "_desc-brain_mask.nii.gz"); truth = nib.load("raw/brainmask.nii.gz")
assert np.allclose(mask.affine, truth.affine, atol=1e-4), "the BOLD mask is not on the BOLD grid"
d = dice(np.asarray(mask.dataobj) > 0, np.asarray(truth.dataobj) > 0)
assert d >= 0.9, f"BOLD brain mask Dice {d:.3f} < 0.9"
tissue = np.asarray(nib.load(f + "_desc-tissue_dseg.nii.gz").dataobj)
assert set(np.unique(tissue)) <= {0, 1, 2, 3} and (tissue == 3).sum() > 1000 and (tissue == 1).sum() > 100, np.unique(tissue, return_counts=True)
header = open(f + "_desc-confounds_timeseries.tsv").readline().split("\t")
for col in ("white_matter", "csf", "a_comp_cor_00"):
    assert col in header, f"{col} missing from the confounds"
s = json.load(open(f + "_desc-confounds_timeseries.json"))
masks = s["Settings"]["tissue_masks"]
assert masks["white_matter"]["label"] == 3 and masks["csf"]["label"] == 1, masks
assert masks["white_matter"]["path"].endswith("_desc-tissue_dseg.nii.gz"), masks
assert s["Settings"]["acompcor"]["retained"] >= 1, s["Settings"]["acompcor"]
print(f"BOLD mask Dice {d:.3f}; WM {masks['white_matter']['voxels']} CSF {masks['csf']['voxels']} voxels")
PY
ls "${F}_connectivity/" | grep -q 'atlas-aal_meas-correlation_relmat.tsv' || fail "connectivity outputs not named atlas-aal: $(ls "${F}_connectivity/")"
for x in native/sub-01/anat/sub-01_from-T1w_to-template_xfm/{0GenericAffine.txt,1Warp.nii.gz,1InverseWarp.nii.gz} \
         "${F}_from-boldref_to-T1w_xfm/0GenericAffine.txt"; do
  [ -s "$x" ] || fail "missing transform $x"
done
# The report page shows the registration overlays (the figures users look at first).
for png in sub-01_from-T1w_to-template_reg.png sub-01_task-rest_from-boldref_to-T1w_reg.png; do
  grep -q "<img src=\"data:image/png;base64,[^\"]*\" alt=\"$png\"" native/report/sub-01.html || fail "the report does not show $png"
done
"$P" run "$pipeline" "${sets[@]}" --out native --jobs 2 >again.log 2>&1 || fail "second run failed"
grep -q "0 ran, 11 up to date" again.log || fail "second run did something: $(tail -3 again.log)"

# The Snakemake export of the route: folders as directory(), files inside them
# depending on the folder; Snakemake reproduces the local outputs byte for byte.
"$P" export "$pipeline" "${sets[@]}" --out "$work/smk" --snakemake wf -q || fail "export failed"
grep -q 'directory("sub-{subject}/anat/sub-{subject}_from-T1w_to-template_xfm")' wf/Snakefile ||
  fail "the transform folder is not a directory() output: $(grep -n xfm wf/Snakefile | head -3)"
grep -q -- '--transform sub-{wildcards.subject}/anat/sub-{wildcards.subject}_from-T1w_to-template_xfm/1Warp.nii.gz' wf/Snakefile ||
  fail "the shell command does not read the file inside the folder"
if command -v snakemake >/dev/null; then
  (cd wf && snakemake -s Snakefile --cores 2 --quiet >../smk.log 2>&1) || fail "snakemake failed: $(tail -20 smk.log)"
  [ "$(outputs_of smk)" = "$(outputs_of native)" ] || fail "different outputs: $(diff <(outputs_of smk) <(outputs_of native))"
  # axon-register run's sidecar records each stage's wall time: equal but for those.
  for f in $(outputs_of native); do
    case "$f" in
      *GenericAffine.txt.json) "$AXON_PYTHON" - "native/$f" "smk/$f" <<'PY' || fail "$f differs (beyond stage times) between Snakemake and the local runner";;
import json, sys
def timeless(x):
    if isinstance(x, dict): return {k: timeless(v) for k, v in x.items() if k != "seconds"}
    if isinstance(x, list): return [timeless(v) for v in x]
    return x
a, b = (timeless(json.load(open(p))) for p in sys.argv[1:])
sys.exit(a != b)
PY
      *) cmp -s "native/$f" "smk/$f" || fail "$f differs between Snakemake and the local runner";;
    esac
  done
else
  echo "note: snakemake not installed: the export is checked, not run"
fi
finish
