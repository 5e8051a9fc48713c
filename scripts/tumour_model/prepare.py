"""Prepares every BraTS case of a folder for training: <out>/<case>.npz with the
normalised 2 mm images (4, Z, Y, X) and soft region targets (3, Z, Y, X)."""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import preprocess  # noqa: E402

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("brats", help="folder of BraTS cases (<case>/<case>_{t1,t1ce,t2,flair,seg}.nii.gz)")
ap.add_argument("out")
a = ap.parse_args()
os.makedirs(a.out, exist_ok=True)
for case in sorted(os.listdir(a.brats)):
    if not os.path.isfile(os.path.join(a.brats, case, case + "_seg.nii.gz")):
        continue
    images, targets, _ = preprocess.prepare_case(a.brats, case)
    np.savez(os.path.join(a.out, case + ".npz"), images=images, targets=targets)
    print(f"prepared {case} {images.shape}", flush=True)
