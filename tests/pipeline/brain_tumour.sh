#!/usr/bin/env bash
# pipelines/brain-tumour.yaml end to end on a BIDS folder the test builds
# (no ../shared/data needed): two subjects with small synthetic T1w,
# ce-gadolinium T1w, T2w and FLAIR (one stored LPS, one RAS) and the tiny
# random-weight TorchScript ensemble of tests/segment/make_tiny_tumour_model.py
# passed with --set model=. Checks the dry run (command line, parameters, the
# shipped model by default) and the Snakemake export, the BIDS-derivative
# outputs and their headers, the volumes in the labels' sidecar against
# numpy, the report page (figure embedded, table of volumes equal to the
# sidecar's) and the up-to-date re-run. The coregister parameter (default
# auto) reaches the command line.
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
pipeline="$AXON_SOURCE/pipelines/brain-tumour.yaml"
"$AXON_BIN/axon-segment" tumour --describe >/dev/null 2>&1 || { fail "axon-segment has no tumour command"; finish; }
cd "$work"
"$AXON_PYTHON" "$AXON_SOURCE/tests/segment/make_tiny_tumour_model.py" fx >/dev/null || { fail "making the tiny model failed"; finish; }
for s in 01:lps 02:ras; do
  id=${s%%:*} variant=${s##*:} d=bids/sub-${s%%:*}/anat
  mkdir -p "$d"
  cp "fx/$variant/t1.nii.gz" "$d/sub-${id}_T1w.nii.gz"
  cp "fx/$variant/t1ce.nii.gz" "$d/sub-${id}_ce-gadolinium_T1w.nii.gz"
  cp "fx/$variant/t2.nii.gz" "$d/sub-${id}_T2w.nii.gz"
  cp "fx/$variant/flair.nii.gz" "$d/sub-${id}_FLAIR.nii.gz"
done
model="$work/fx/card.json"

# Dry run: one job per subject, the tiny card passed as --model, nothing written.
"$P" run "$pipeline" --set bids=bids --set model="$model" --out out --dry-run >dry.txt 2>dry.err || fail "dry run: $(cat dry.err)"
grep -q '^2 of 2 jobs would run' dry.txt || fail "dry run plans: $(tail -1 dry.txt)"
grep -q "axon-segment tumour --t1 $work/bids/sub-01/anat/sub-01_T1w.nii.gz --t1ce .*_ce-gadolinium_T1w.nii.gz --t2 .*_T2w.nii.gz --flair .*_FLAIR.nii.gz --out-labels sub-01/anat/sub-01_desc-tumour_dseg.nii.gz --out-probabilities sub-01/anat/sub-01_desc-tumour_probseg.nii.gz --out-uncertainty sub-01/anat/sub-01_desc-uncertainty_probseg.nii.gz --model $model --tta mirror --label-convention brats2018 --postprocess on --et-min-ml 0.5 --min-component-ml 0.1 --coregister auto" dry.txt ||
  fail "unexpected command line: $(head -1 dry.txt)"
[ -e out ] && fail "--dry-run created the output folder"
# The Snakemake export has the rule and the runner's command; parameters
# reach it, and an empty model parameter leaves --model out (the tool's
# default: the shipped card). pipeline_snakemake runs exports with the real
# Snakemake.
"$P" export "$pipeline" --set bids=bids --set labels=brats2023 --set tta=none --set coregister=off --out smk --snakemake wf -q ||
  fail "export failed"
grep -q '^rule tumour:' wf/Snakefile || fail "Snakefile lacks the tumour rule"
grep -q -- '--model' wf/Snakefile && fail "an empty model parameter still passes --model: $(grep -m1 'axon-segment tumour' wf/Snakefile)"
grep -q -- '--tta none --label-convention brats2023 --postprocess on --et-min-ml 0.5 --min-component-ml 0.1 --coregister off --qc' wf/Snakefile ||
  fail "--set tta/labels/coregister not in the exported command: $(grep -m1 'axon-segment tumour' wf/Snakefile)"

# The run.
"$P" run "$pipeline" --set bids=bids --set model="$model" --out out -q >run.txt 2>run.err || fail "run failed: $(cat run.err)"
for s in 01 02; do
  for f in desc-tumour_dseg.nii.gz desc-tumour_dseg.json desc-tumour_probseg.nii.gz desc-tumour_probseg.json \
    desc-uncertainty_probseg.nii.gz desc-uncertainty_probseg.json desc-tumour_FLAIR.png; do
    [ -s "out/sub-$s/anat/sub-${s}_$f" ] || fail "missing output sub-${s}_$f"
  done
done
[ -s out/report/sub-01.html ] && [ -s out/report/sub-02.html ] || fail "report pages missing: $(ls out/report)"
"$AXON_PYTHON" - "$work" <<'PY' || fail "outputs or report do not match"
import html, json, re, sys
import nibabel as nib, numpy as np
root = sys.argv[1]
for s in ("01", "02"):
    a = f"{root}/out/sub-{s}/anat/sub-{s}_"
    t1 = nib.load(f"{root}/bids/sub-{s}/anat/sub-{s}_T1w.nii.gz")
    lab = nib.load(a + "desc-tumour_dseg.nii.gz")
    prob = nib.load(a + "desc-tumour_probseg.nii.gz")
    unc = nib.load(a + "desc-uncertainty_probseg.nii.gz")
    assert lab.get_data_dtype() == np.uint8 and lab.shape == t1.shape, (lab.get_data_dtype(), lab.shape)
    assert np.allclose(lab.affine, t1.affine) and np.allclose(unc.affine, t1.affine)
    assert prob.shape == t1.shape + (3,) and prob.get_data_dtype() == np.float32, prob.shape
    L = np.asarray(lab.dataobj)
    assert set(np.unique(L)) <= {0, 1, 2, 4} and (L > 0).any(), np.unique(L)
    # Volumes in the sidecar: voxel counts x voxel volume (mL).
    side = json.load(open(a + "desc-tumour_dseg.json"))["TumourSegmentation"]["volumes_ml"]
    ml = float(np.prod(t1.header.get_zooms()[:3])) / 1000.0
    want = {"WT": (L > 0).sum() * ml, "TC": np.isin(L, [1, 4]).sum() * ml, "ET": (L == 4).sum() * ml}
    for k, v in want.items():
        assert abs(side[k] - v) < 1e-6, (s, k, side[k], v)
    # The report page: the overlay figure embedded, the table of volumes
    # (WT, TC, ET, then per label) with the sidecar's numbers.
    page = open(f"{root}/out/report/sub-{s}.html").read()
    assert page.count('src="data:image/png;base64,') == 1, "figure not embedded once"
    assert f"sub-{s}_desc-tumour_FLAIR.png" in page
    m = re.search(r'<table class="sidecar" data-key="TumourSegmentation.volumes_ml"><caption>(.*?)</caption>\n(.*?)</table>', page, re.S)
    assert m and "tumour volumes (mL)" in html.unescape(m.group(1)), "no volumes table"
    rows = re.findall(r'<tr><td>([^<]*)</td><td class="num">([^<]*)</td></tr>', m.group(2))
    names = [r[0] for r in rows]
    assert names[:3] == ["WT", "TC", "ET"] and all(n.startswith("labels.") for n in names[3:]), names
    for name, text in rows:
        v = side[name] if "." not in name else side["labels"][name.split(".", 1)[1]]
        assert abs(float(text) - v) <= 1e-5 * max(1.0, abs(v)), (name, text, v)
PY
grep -q 'sub-02.html' out/report/index.html || fail "index does not link sub-02"
# Nothing to do the second time; a report table changed in the pipeline file
# (not part of the command) still reaches the page.
sed 's/title: "tumour volumes (mL)/title: "volumes again (mL)/' "$pipeline" >retitled.yaml
"$P" run retitled.yaml --set bids=bids --set model="$model" --out out >rerun.txt 2>&1 || fail "re-run failed: $(cat rerun.txt)"
grep -q '0 ran, 2 up to date' rerun.txt || fail "re-run did work: $(cat rerun.txt)"
grep -q '<caption>volumes again (mL)' out/report/sub-02.html || fail "the changed report table is not on the page"
finish
