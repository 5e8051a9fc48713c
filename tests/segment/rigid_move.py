"""Known rigid moves for the tests of axon-segment tumour --coregister.

move(): an image's head moved by a known rigid transform and stored on a grid
of its own (RAS axes, other spacing, dimensions and centre), by scipy's
linear interpolation, independent of axon. residual(): how far a recovered
transform (the sidecar's matrix_lps) is from undoing it, over a brain.
write_itk_affine(): a 4x4 LPS matrix as an ITK transform file for
axon-register apply.
"""
import nibabel as nib
import numpy as np
from scipy import ndimage

LPS = np.diag([-1.0, -1.0, 1.0, 1.0])  # RAS <-> LPS (its own inverse)


def rotation(ax, ay, az):
    """R = Rz Ry Rx, angles in degrees."""
    ax, ay, az = np.radians([ax, ay, az])
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    ry = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    return rz @ ry @ rx


def move(img, spacing, dims, grid_shift, angles, translation):
    """The image on a RAS grid of `spacing` (mm) and `dims` whose centre is the
    image's centre + grid_shift (mm), with moved(x) = image(T x), T the
    rotation by `angles` about the image's centre then `translation` (RAS mm).
    Returns the float32 NIfTI image and T in LPS as nested lists (the truth a
    recovered matrix_lps should undo: T o matrix_lps = identity)."""
    a = np.asarray(img.dataobj).astype(np.float32)
    spacing, dims = np.asarray(spacing, float), np.asarray(dims, int)
    centre = (img.affine @ np.append((np.array(a.shape) - 1) / 2, 1))[:3]
    grid = np.eye(4)
    grid[:3, :3] = np.diag(spacing)
    grid[:3, 3] = centre + grid_shift - spacing * (dims - 1) / 2
    r = rotation(*angles)
    t = np.eye(4)
    t[:3, :3] = r
    t[:3, 3] = centre + translation - r @ centre
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in dims], indexing="ij"), 0).reshape(3, -1)
    world = np.vstack([grid[:3, :3] @ ijk + grid[:3, 3:4], np.ones(ijk.shape[1])])
    src = np.linalg.inv(img.affine) @ t @ world
    moved = ndimage.map_coordinates(a, src[:3], order=1, cval=0.0).reshape(dims).astype(np.float32)
    out = nib.Nifti1Image(moved, grid)
    out.set_qform(grid, 1)
    out.set_sform(grid, 1)
    return out, (LPS @ t @ LPS).tolist()


def residual(truth_lps, recovered_lps, reference):
    """Mean and largest |T(R(p)) - p| (mm) over the voxels p of `reference` > 0,
    and the rotation angle (degrees) of T o R."""
    left = np.array(truth_lps) @ np.array(recovered_lps)
    ijk = np.argwhere(np.asarray(reference.dataobj) > 0)
    lps = (ijk @ reference.affine[:3, :3].T + reference.affine[:3, 3]) * [-1, -1, 1]
    err = np.linalg.norm(lps @ left[:3, :3].T + left[:3, 3] - lps, axis=1)
    angle = np.degrees(np.arccos(np.clip((np.trace(left[:3, :3]) - 1) / 2, -1, 1)))
    return err.mean(), err.max(), angle


def write_itk_affine(matrix_lps, path):
    """y = A x + b (LPS mm) as ITK's AffineTransform_double_3_3 about the origin."""
    m = np.asarray(matrix_lps, float)
    with open(path, "w") as f:
        f.write("#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n")
        f.write("Parameters: " + " ".join(f"{v:.17g}" for v in list(m[:3, :3].ravel()) + list(m[:3, 3])) + "\n")
        f.write("FixedParameters: 0 0 0\n")
