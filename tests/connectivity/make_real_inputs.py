"""Inputs for the CLI tests built from nipy's real BOLD series
(functional.nii.gz: 17x21x3 voxels, 20 volumes, TR 2 s): a coarse 6-parcel
atlas on its grid, a brain mask, an fMRIPrep-style confounds TSV, and the
bad inputs (an atlas elsewhere in space, a header with a 2000 s TR, a constant
parcel, a header with no TR at all). Usage: make_real_inputs.py OUTDIR"""
import sys

import nibabel as nib
import numpy as np

out = sys.argv[1]
img = nib.load("/usr/lib/python3/dist-packages/nipy/testing/functional.nii.gz")
data = np.asarray(img.dataobj, dtype=np.float32)
nx, ny, nz, nt = data.shape
mean = data.mean(axis=3)
mask = (mean > 0.3 * mean.max()).astype(np.uint8)
i, j, k = np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij")
atlas = (1 + 3 * (j * 2 // ny) + (i * 3 // nx)).astype(np.int16)
atlas[mean < 0.1 * mean.max()] = 0
hdr = img.header.copy()

def save(array, name, affine=img.affine, header=None):
    h = (header or img.header).copy()
    h.set_data_dtype(array.dtype)
    if array.ndim == 3:
        h.set_data_shape(array.shape)
    nib.save(nib.Nifti1Image(array, affine, h), f"{out}/{name}")

save(atlas, "coarse_atlas.nii.gz")
save(mask, "mask.nii.gz")
far = img.affine.copy()
far[:3, 3] += 5000.0
save(atlas, "far_atlas.nii.gz", affine=far)
with open(f"{out}/coarse_labels.tsv", "w") as f:
    f.write("index\tname\n")
    for v in range(1, 7):
        f.write(f"{v}\tblock_{v}\n")

# The series as float32, a copy with an implausible TR, a copy with parcel 1 constant.
save(data, "sub-01_task-rest_bold.nii.gz")
# A header that lies about TR as nibabel's example4d does (2000 "s").
bad_tr = img.header.copy()
bad_tr["pixdim"][4] = 2000
bad_tr.set_xyzt_units("mm", "sec")
save(data, "sub-02_task-rest_bold.nii.gz", header=bad_tr)
# A header with no TR at all: pixdim[4] = 0 (axon's reader keeps the 0
# that the NIfTI C library would turn into 1 s).
zero_tr = img.header.copy()
zero_tr["pixdim"][4] = 0
zero_tr.set_xyzt_units("mm", "sec")
save(data, "sub-04_task-rest_bold.nii.gz", header=zero_tr)
const = data.copy()
const[atlas == 1] = 500.0
save(const, "sub-03_task-rest_bold.nii.gz")

rng = np.random.default_rng(1)
motion = np.cumsum(rng.normal(0, 0.02, (nt, 6)), axis=0)
cols = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]
table = {c: motion[:, n] for n, c in enumerate(cols)}
for c in cols:
    d = np.r_[np.nan, np.diff(table[c])]
    table[c + "_derivative1"] = d
    table[c + "_power2"] = table[c] ** 2
    table[c + "_derivative1_power2"] = d ** 2
table["framewise_displacement"] = np.r_[np.nan, np.abs(np.diff(motion, axis=0)).sum(axis=1)]

def write(name, t, rows=nt):
    with open(f"{out}/{name}", "w") as f:
        f.write("\t".join(t) + "\n")
        for r in range(rows):
            f.write("\t".join("n/a" if np.isnan(t[c][r]) else repr(float(t[c][r])) for c in t) + "\n")

write("confounds.tsv", table)
write("confounds_short.tsv", table, rows=nt - 1)
gap = dict(table)
gap["trans_y"] = table["trans_y"].copy()
gap["trans_y"][7] = np.nan
write("confounds_gap.tsv", gap)
allbad = dict(table)
allbad["framewise_displacement"] = np.full(nt, 3.0)
write("confounds_allbad.tsv", allbad)
