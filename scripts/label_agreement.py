#!/usr/bin/python3
"""How well atlas labels brought onto a BOLD grid match the truth.

Usage: label_agreement.py ESTIMATE TRUTH [--world ATLAS] [--sentences]

ESTIMATE and TRUTH are label images on the same grid (the same voxel array
shape; TRUTH's header decides nothing). Prints one JSON line:
  agreement        fraction of TRUTH's labelled voxels (label > 0) where
                   ESTIMATE has the same label
  voxels           how many labelled voxels TRUTH has
  world            (with --world ATLAS) the same fraction for ATLAS resampled
                   onto ESTIMATE's grid in world coordinates (nearest
                   neighbour), i.e. what the MNI route does: the figure a
                   scanner-space run gets without registration.
With --sentences, the same in words instead.
Used by scripts/demo and tests/pipeline/rest_native.sh.
"""
import json
import sys

import nibabel as nib
import numpy as np
from scipy.ndimage import map_coordinates


def labels(path):
    return np.rint(np.asarray(nib.load(path).dataobj)).astype(np.int64)


def world_resampled(atlas_path, grid_image):
    atlas = nib.load(atlas_path)
    shape = grid_image.shape[:3]
    ijk = np.indices(shape).reshape(3, -1)
    to_atlas = np.linalg.inv(atlas.affine) @ grid_image.affine
    coords = to_atlas[:3, :3] @ ijk + to_atlas[:3, 3:4]
    values = map_coordinates(np.asarray(atlas.dataobj, dtype=np.float64), coords, order=0, mode="constant", cval=0)
    return np.rint(values).astype(np.int64).reshape(shape)


def main(argv):
    sentences = "--sentences" in argv
    argv = [a for a in argv if a != "--sentences"]
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--world"):
        sys.exit(__doc__)
    estimate, truth = labels(argv[0]), labels(argv[1])
    if estimate.shape != truth.shape:
        sys.exit(f"label_agreement: {argv[0]} and {argv[1]} have different grids")
    inside = truth > 0
    out = {"agreement": round(float((estimate[inside] == truth[inside]).mean()), 4), "voxels": int(inside.sum())}
    if len(argv) == 4:
        naive = world_resampled(argv[3], nib.load(argv[0]))
        out["world"] = round(float((naive[inside] == truth[inside]).mean()), 4)
    if not sentences:
        print(json.dumps(out))
        return
    print(f"{100 * out['agreement']:.1f} % of the {out['voxels']} labelled voxels of the truth have their true label")
    if "world" in out:
        print(f"(resampled in world coordinates instead, as for a run already in MNI space: {100 * out['world']:.1f} %)")


if __name__ == "__main__":
    main(sys.argv[1:])
