"""The brain model's input preparation, in numpy, for training and reference checks.

The same fixed sequence `axon-segment brain --method learned` runs in C++
(docs/axon-segment.md, "Learned brain extraction"): reorient the voxel axes to
the card's orientation (RAS; exact permutes and flips), map intensities with
the card's "range-nonzero" normalisation (over the non-zero voxels, clip to
the 0.5 / 99.5 percentiles and scale that range to [0, 1]; zero voxels stay
0), and work at 2 mm (the shared IXI heads are stored at 2 mm already).

Arrays here are (Z, Y, X), the networks' layout (card: tensor_layout NCZYX).
"""
import nibabel as nib
import numpy as np

ORIENTATION = "RAS"
CLIP = (0.5, 99.5)


def load_zyx(path, orientation=ORIENTATION):
    """A 3D NIfTI reoriented to `orientation`, as float32 (Z, Y, X), with its spacing (x, y, z) there."""
    img = nib.load(path)
    data = np.asarray(img.dataobj, dtype=np.float32).reshape(img.shape[:3])  # IBSR's are (X, Y, Z, 1)
    current = nib.orientations.io_orientation(img.affine)
    wanted = nib.orientations.axcodes2ornt(tuple(orientation))
    transform = nib.orientations.ornt_transform(current, wanted)
    data = nib.orientations.apply_orientation(data, transform)
    zooms = np.asarray(img.header.get_zooms()[:3], dtype=float)
    # transform[i, 0] is the output axis of input axis i; output axis a's spacing is its source's.
    spacing = tuple(float(z) for z in zooms[np.argsort(transform[:, 0])])
    return np.ascontiguousarray(data.transpose(2, 1, 0)), spacing


def normalize_range_nonzero(volume, clip=CLIP):
    """Over the non-zero voxels: clip to the percentiles (numpy 'linear') and scale [lo, hi] to [0, 1]."""
    nonzero = volume != 0
    out = np.zeros(volume.shape, np.float32)
    if not nonzero.any():
        return out
    values = volume[nonzero].astype(np.float64)
    lo, hi = np.percentile(values, clip)
    out[nonzero] = ((np.clip(values, lo, hi) - lo) / max(hi - lo, 1e-8)).astype(np.float32)
    return out
