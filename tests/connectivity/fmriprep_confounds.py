"""An fMRIPrep-style confounds TSV built from the synthetic run's truth:
motion (trans_x..rot_z) with derivatives and squares, csf, white_matter and
global_signal with theirs, and framewise_displacement (Power et al. 2012:
rotations as arc length on a 50 mm sphere). Usage: fmriprep_confounds.py SIMDIR
(writes SIMDIR/desc-confounds_timeseries.tsv)."""
import sys

import numpy as np

d = sys.argv[1]


def read(p):
    names = open(p).readline().rstrip("\n").split("\t")
    return dict(zip(names, np.loadtxt(p, delimiter="\t", skiprows=1, ndmin=2).T))


motion = read(f"{d}/true_motion.tsv")
cols = {**motion, **{k: v for k, v in read(f"{d}/true_confounds.tsv").items()
                     if k in ("csf", "white_matter", "global_signal")}}
table = {}
for c, v in cols.items():
    der = np.r_[np.nan, np.diff(v)]
    table.update({c: v, c + "_derivative1": der, c + "_power2": v ** 2, c + "_derivative1_power2": der ** 2})
m = np.array([motion[c] for c in ("trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z")]).T
m[:, 3:] *= 50.0
table["framewise_displacement"] = np.r_[np.nan, np.abs(np.diff(m, axis=0)).sum(1)]
n = m.shape[0]
with open(f"{d}/desc-confounds_timeseries.tsv", "w") as f:
    f.write("\t".join(table) + "\n")
    for r in range(n):
        f.write("\t".join("n/a" if np.isnan(x[r]) else repr(float(x[r])) for x in table.values()) + "\n")
