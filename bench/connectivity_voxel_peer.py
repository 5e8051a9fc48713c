"""Python peers of bench/connectivity_voxel.sh.
  sgemm:     the machine's float32 matrix-multiply rate (numpy -> OpenBLAS,
             all threads): (8192 x T) @ (T x 8192), T = volumes; GFLOP/s
             of wall time and GFLOP per CPU-second, best of 5.
  degree BOLD MASK THRESHOLD OUT.npy: blocked numpy degree centrality (the
             reference of the issue): z-scored float32 series, full blocks
             of 2048 rows against all voxels (B @ Z.T), r > threshold.
  triangles BOLD MASK THRESHOLD: the graph r >= threshold built blockwise,
             then scipy.sparse (A @ A).multiply(A).sum(1) / 2; prints the
             triangle-count time (after the graph) and the edge count."""
import sys, time
import numpy as np

mode = sys.argv[1]
if mode == "sgemm":
    t = int(sys.argv[2])
    a = np.random.default_rng(0).standard_normal((8192, t), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((t, 8192), dtype=np.float32)
    a @ b
    best = best_cpu = 0
    for _ in range(5):
        s, c = time.perf_counter(), time.process_time()
        a @ b
        d, dc = time.perf_counter() - s, time.process_time() - c
        best = max(best, 2 * 8192 * 8192 * t / d / 1e9)
        best_cpu = max(best_cpu, 2 * 8192 * 8192 * t / dc / 1e9)
    print(f"{best:.1f} {best_cpu:.1f}")  # GFLOP/s wall; GFLOP per CPU-second (all threads)
    sys.exit(0)

import nibabel as nib
bold, mask_path, threshold = sys.argv[2], sys.argv[3], float(sys.argv[4])
mask = np.asanyarray(nib.load(mask_path).dataobj) > 0
x = np.asanyarray(nib.load(bold).dataobj)[mask].astype(np.float32)  # voxels x time
x -= x.mean(axis=1, keepdims=True)
norm = np.linalg.norm(x, axis=1)
keep = norm > 0
x = x[keep] / norm[keep, None]
n = x.shape[0]
start = time.perf_counter()
if mode == "degree":
    degree = np.zeros(n, np.int64)
    for i in range(0, n, 2048):
        c = x[i:i + 2048] @ x.T
        degree[i:i + 2048] = (c > threshold).sum(axis=1) - (np.diag(c[:, i:i + 2048]) > threshold)
    full = np.zeros(mask.sum(), np.int64); full[keep] = degree
    np.save(sys.argv[5], full)
    print(f"numpy blocked degree: {time.perf_counter() - start:.2f} s, {2.0 * n * n * x.shape[1] / 1e9:.0f} GFLOP")
elif mode == "triangles":
    import scipy.sparse as sp
    rows, cols = [], []
    for i in range(0, n, 2048):
        c = x[i:i + 2048] @ x.T
        r, q = np.nonzero(c >= threshold)
        sel = r + i != q
        rows.append(r[sel] + i); cols.append(q[sel])
    a = sp.csr_matrix((np.ones(sum(len(r) for r in rows), np.float64),
                       (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    s = time.perf_counter()
    tri = np.asarray((a @ a).multiply(a).sum(axis=1)).ravel() / 2
    print(f"scipy triangles: {time.perf_counter() - s:.2f} s for {a.nnz // 2} edges, {int(tri.sum() / 3)} triangles")
