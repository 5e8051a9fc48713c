"""What the brain and tissue models' training shares: the split by subject
and the spatially augmented patch."""
import numpy as np
from scipy import ndimage


def folds_by_subject(subjects, n_folds, seed):
    """Each subject's fold: a seeded permutation dealt round-robin."""
    rng = np.random.default_rng(seed)
    return {s: i % n_folds for i, s in enumerate(rng.permutation(subjects))}


def rotated_patch(image, targets, patch, rng, centres, p_centred, scale_range):
    """A patch of `image` and its `targets` (channels first), centred on one of `centres` (voxel indices) with
    probability p_centred, else anywhere; rotated (up to 15 degrees about each axis) and scaled (uniform in
    scale_range) about its centre with probability 0.5 each; linear interpolation, zeros outside."""
    shape = np.array(image.shape)
    if rng.random() < p_centred:
        centre = centres[rng.integers(len(centres))].astype(float)
    else:
        centre = np.array([rng.uniform(0, s - 1) for s in shape])
    matrix = np.eye(3)
    if rng.random() < 0.5:
        for axis in range(3):
            angle = np.deg2rad(rng.uniform(-15, 15))
            c, s = np.cos(angle), np.sin(angle)
            i, j = [a for a in range(3) if a != axis]
            r = np.eye(3)
            r[i, i], r[i, j], r[j, i], r[j, j] = c, -s, s, c
            matrix = r @ matrix
    if rng.random() < 0.5:
        matrix = matrix * rng.uniform(*scale_range)
    grid = np.stack(np.meshgrid(*[np.arange(p) - (p - 1) / 2 for p in patch], indexing="ij")).reshape(3, -1)
    coords = matrix @ grid + centre[:, None]
    x = ndimage.map_coordinates(image, coords, order=1, cval=0).reshape(patch)
    y = np.stack([ndimage.map_coordinates(t, coords, order=1, cval=0).reshape(patch) for t in targets])
    return x.astype(np.float32), y.astype(np.float32)
