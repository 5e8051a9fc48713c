#!/usr/bin/env bash
# pipelines/fmriprep-connectivity.yaml on an fMRIPrep-shaped folder the test
# builds from axon-testdata's synthetic run: sub-01 with a session and a run
# (and a decoy in space-T1w that must not be picked), sub-02 with neither.
# sub-01's confounds are the real fMRIPrep 1.0 table of ../shared/data/fmriprep
# (only the six motion columns, empty first-row cells); without the shared
# folder, a table of the same shape is written from the generator's motion.
# sub-02's is such a generated table. Checks the plan (4 jobs, both layouts),
# the XCP-D-style names, the derived columns (stderr once, sidecar) against
# a run where numpy wrote them into the table, the 36P error naming the
# column no base gives, and the Snakemake export (one layout per rule).
source "$(dirname "$0")/../cli/lib.sh"
source "$(dirname "$0")/lib.sh"
: "${AXON_PYTHON:=/usr/bin/python3}"
pipeline="$AXON_SOURCE/pipelines/fmriprep-connectivity.yaml"
real="${AXON_SHARED_DATA:-$AXON_SOURCE/../shared/data}/fmriprep/sub-01_ses-002_task-rest_run-001_desc-confounds_timeseries.tsv"
cd "$work"
"$AXON_TESTDATA_BIN/axon-testdata" fmri sim --volumes 40 --seed 3 -q || { fail "axon-testdata failed"; finish; }
[ -f "$real" ] || echo "note: no $real (set AXON_SHARED_DATA): sub-01 gets a generated fMRIPrep 1.0-shaped table"
"$AXON_PYTHON" - "$work" "$real" <<'PY' || { fail "building the fMRIPrep folder failed"; finish; }
import csv, os, shutil, sys
root, real = sys.argv[1], sys.argv[2]
space = "MNI152NLin2009cAsym"
motion = list(csv.reader(open(f"{root}/sim/true_motion.tsv"), delimiter="\t"))

def old_fmriprep_table(path):
    # fMRIPrep 1.0's shape: base columns only, the first row's FD cell empty.
    with open(path, "w") as f:
        f.write("framewise_displacement\t" + "\t".join(motion[0]) + "\n")
        for i, r in enumerate(motion[1:]):
            f.write(("" if i == 0 else "0.1") + "\t" + "\t".join(r) + "\n")

def run(folder, stem, confounds, spaces=(space,)):
    os.makedirs(f"{root}/fmriprep/{folder}", exist_ok=True)
    for sp in spaces:
        shutil.copy(f"{root}/sim/bold.nii.gz", f"{root}/fmriprep/{folder}/{stem}_space-{sp}_desc-preproc_bold.nii.gz")
        shutil.copy(f"{root}/sim/brainmask.nii.gz", f"{root}/fmriprep/{folder}/{stem}_space-{sp}_desc-brain_mask.nii.gz")
    target = f"{root}/fmriprep/{folder}/{stem}_desc-confounds_timeseries.tsv"
    if confounds:
        shutil.copy(confounds, target)
    else:
        old_fmriprep_table(target)

run("sub-01/ses-002/func", "sub-01_ses-002_task-rest_run-001", real if os.path.exists(real) else None, (space, "T1w"))
run("sub-02/func", "sub-02_task-rest", None)
os.makedirs(f"{root}/fmriprep/sub-01/anat", exist_ok=True)
open(f"{root}/fmriprep/dataset_description.json", "w").write('{"Name": "fMRIPrep - fMRI PREProcessing workflow"}')
PY

# The plan: both layouts found, the decoy space not.
"$P" run "$pipeline" --set fmriprep=fmriprep --set strategy=24P --out out --dry-run >dry.txt 2>dry.err || fail "dry run: $(cat dry.err)"
grep -q '^4 of 4 jobs would run' dry.txt || fail "dry run plans: $(cat dry.txt)"
grep -q "axon-connectivity roi --bold $work/fmriprep/sub-01/ses-002/func/sub-01_ses-002_task-rest_run-001_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz .*--out sub-01/ses-002/func/sub-01_ses-002_task-rest_run-001_connectivity" dry.txt ||
  fail "sub-01's command: $(grep -m1 'roi.*sub-01' dry.txt)"
grep -q "axon-connectivity roi --bold $work/fmriprep/sub-02/func/sub-02_task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz .*--out sub-02/func/sub-02_task-rest_connectivity" dry.txt ||
  fail "sub-02's command: $(grep -m1 'roi.*sub-02' dry.txt)"
grep -q 'space-T1w' dry.txt && fail "the space-T1w decoy was picked"
# --set space picks the other space.
"$P" run "$pipeline" --set fmriprep=fmriprep --set space=T1w --out out --dry-run >dry2.txt 2>&1 || fail "space=T1w: $(cat dry2.txt)"
grep -q '^2 of 2 jobs would run' dry2.txt || fail "space=T1w plans: $(tail -1 dry2.txt)"

# The run.
"$P" run "$pipeline" --set fmriprep=fmriprep --set strategy=24P --out out -q >run.txt 2>run.err || fail "run failed: $(cat run.err)"
c1=out/sub-01/ses-002/func/sub-01_ses-002_task-rest_run-001_connectivity/sub-01_ses-002_task-rest_run-001_space-MNI152NLin2009cAsym_atlas-aal
c2=out/sub-02/func/sub-02_task-rest_connectivity/sub-02_task-rest_space-MNI152NLin2009cAsym_atlas-aal
v1=out/sub-01/ses-002/func/sub-01_ses-002_task-rest_run-001_voxelmaps/sub-01_ses-002_task-rest_run-001_space-MNI152NLin2009cAsym
for f in "${c1}_meas-correlation_relmat.tsv" "${c1}_meas-partial_relmat.tsv" "${c1}_timeseries.tsv" "${c2}_meas-correlation_relmat.tsv" \
  "${v1}_stat-reho_boldmap.nii.gz" "${v1}_stat-falff_boldmap.nii.gz"; do
  [ -s "$f" ] || fail "missing output $f"
done
# Derived columns: said once per job on stderr, listed in the sidecar.
n=$(grep -h 'were derived from their base columns' out/logs/run-*/connectivity_sub-01*.err.log | wc -l)
[ "$n" -eq 1 ] || fail "the derivation is said $n times in sub-01's log"

# The same run with the 18 expansions written into the table by numpy
# (backward difference, first row n/a; squares) gives the same matrix.
tsv=fmriprep/sub-01/ses-002/func/sub-01_ses-002_task-rest_run-001_desc-confounds_timeseries.tsv
"$AXON_PYTHON" - "$tsv" expanded.tsv "${c1}_meas-correlation_relmat.json" <<'PY' || fail "numpy expansion or sidecar check failed"
import json, sys
import numpy as np
src, dst, sidecar = sys.argv[1:]
lines = open(src).read().splitlines()
header = lines[0].split("\t")
rows = [l.split("\t") for l in lines[1:]]
col = lambda name: np.array([float(r[header.index(name)]) if r[header.index(name)] not in ("", "n/a") else np.nan
                             for r in rows])
base = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]
new = {}
for b in base:
    x = col(b)
    d = np.concatenate([[np.nan], np.diff(x)])
    new[b + "_derivative1"], new[b + "_power2"], new[b + "_derivative1_power2"] = d, x ** 2, d ** 2
names = list(new)
fmt = lambda v: "n/a" if np.isnan(v) else repr(float(v))
with open(dst, "w") as f:
    f.write("\t".join(header + names) + "\n")
    for i, r in enumerate(rows):
        f.write("\t".join(r + [fmt(new[n][i]) for n in names]) + "\n")
derived = json.load(open(sidecar))["ConfoundColumnsDerived"]
assert sorted(derived) == sorted(names), derived
PY
bold=fmriprep/sub-01/ses-002/func/sub-01_ses-002_task-rest_run-001_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz
mask=fmriprep/sub-01/ses-002/func/sub-01_ses-002_task-rest_run-001_space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz
"$AXON_BIN/axon-connectivity" roi --bold "$bold" --mask "$mask" --confounds expanded.tsv --atlas aal --strategy 24P \
  --high-pass 0.01 --kind correlation --out direct -q 2>direct.err || fail "roi on the expanded table: $(cat direct.err)"
[ -s direct.err ] && fail "nothing should be derived from the expanded table: $(cat direct.err)"
"$AXON_PYTHON" - "${c1}_meas-correlation_relmat.tsv" direct/sub-01_ses-002_task-rest_run-001_space-MNI152NLin2009cAsym_atlas-aal_meas-correlation_relmat.tsv <<'PY' ||
import sys
import numpy as np
a, b = (np.genfromtxt(p, delimiter="\t", skip_header=1, usecols=None)[:, 1:] for p in sys.argv[1:])
d = np.nanmax(np.abs(a - b))
print(f"derived vs numpy-written columns: max |r difference| {d:.2e}")
sys.exit(0 if d < 1e-9 else 1)
PY
  fail "derived columns give another matrix than numpy's"

# 36P needs csf, white_matter and global_signal; a table without csf (the
# real one) or without any of them is one error naming the column(s).
expect_error 3 direct36 "$AXON_BIN/axon-connectivity" roi --bold "$bold" --mask "$mask" --confounds "$tsv" \
  --atlas aal --strategy 36P --kind correlation --out direct36
grep -q 'not derivable from a base column): csf, ' "$work/stderr" || fail "the 36P error does not name csf: $(cat "$work/stderr")"

# Snakemake export: one rule per layout; a mix of layouts is refused.
"$P" export "$pipeline" --set fmriprep=fmriprep --subjects 01 --out smk --snakemake wf1 -q || fail "export of sub-01 failed"
grep -q 'ses-{session}/func/sub-{subject}_ses-{session}_task-{task}_run-{run}_connectivity' wf1/Snakefile ||
  fail "sub-01's rule lacks the session and run wildcards: $(grep -m1 connectivity wf1/Snakefile)"
"$P" export "$pipeline" --set fmriprep=fmriprep --subjects 02 --out smk --snakemake wf2 -q || fail "export of sub-02 failed"
grep -q '"sub-{subject}/func/sub-{subject}_task-{task}_connectivity"' wf2/Snakefile ||
  fail "sub-02's rule: $(grep -m1 connectivity wf2/Snakefile)"
expect_error 3 "" "$P" export "$pipeline" --set fmriprep=fmriprep --out smk --snakemake wf3
finish
