# Helpers shared by the pipeline CLI tests (sourced after tests/cli/lib.sh).
P="$AXON_BIN/axon-pipeline"
# make_bids DIR: two subjects, one tiny 4D rest run each (12x10x8, 5 volumes).
make_bids() {
  "$AXON_PYTHON" - "$1" <<'PY'
import sys, os, numpy as np, nibabel as nib
root = sys.argv[1]
rng = np.random.default_rng(0)
for s in ["01", "02"]:
    d = os.path.join(root, f"sub-{s}", "func"); os.makedirs(d, exist_ok=True)
    data = (100 + 10 * rng.standard_normal((12, 10, 8, 5))).astype(np.float32)
    img = nib.Nifti1Image(data, np.diag([2.0, 2.0, 2.0, 1.0]))
    img.header.set_xyzt_units('mm', 'sec'); img.header['pixdim'][4] = 2.0
    nib.save(img, os.path.join(d, f"sub-{s}_task-rest_bold.nii.gz"))
PY
}
# The 2 subjects x 3 steps pipeline of the tests: tmean -> wavelet -> resample.
write_tiny_pipeline() {
  cat >"$1" <<'YAML'
name: tiny
version: "1"
parameters:
  bids: bids
  levels: 2
bids: "{bids}"
inputs:
  bold: sub-{subject}/func/sub-{subject}_task-{task}_bold.nii.gz
steps:
  mean:
    tool: axon-image
    command: tmean
    inputs: {SERIES: bold}
    outputs: {OUT: desc-mean_bold.nii.gz}
  denoise:
    tool: axon-denoise
    command: wavelet
    inputs: {IN: mean.OUT}
    outputs: {OUT: desc-wavelet_bold.nii.gz}
    options: {levels: "{levels}"}
  upsample:
    tool: axon-image
    command: resample
    inputs: {IN: denoise.OUT, like: mean.OUT}
    outputs: {OUT: desc-resampled_bold.nii.gz}
    options: {interp: linear}
    resources: {threads: 2}
YAML
}
# The outputs of a run (images, tables, sidecars), without logs, records and report.
# (Snakemake's .snakemake_timestamp marks in folder outputs are not outputs.)
outputs_of() { (cd "$1" && find . -path ./logs -prune -o -path ./.axon-pipeline -prune -o -path ./report -prune -o -path ./.snakemake -prune -o -type f ! -name .snakemake_timestamp -print | sort); }
