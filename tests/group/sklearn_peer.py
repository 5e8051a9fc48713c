"""scikit-learn / scipy references for the group analyses (issue 5).
Usage: sklearn_peer.py MODE DIR
  folds:    DIR/cases.txt, one case a line: k then the labels -> ref_folds.txt,
            one line per case: sklearn StratifiedKFold(k) (no shuffling)
            test fold of each subject
  classify: DIR/features.txt, labels.txt, confounds.txt (may be empty),
            params.txt (folds, components) -> ref_predicted.txt (label),
            ref_decision.txt: Pipeline(StandardScaler, PCA, LDA) on each
            StratifiedKFold fold, confounds regressed out by least squares
            (with intercept) fitted on the training subjects only.
  tangent:  DIR/matrices.txt (subjects * p rows of p) -> ref_mean.txt,
            ref_tangent.txt: Riemannian mean by the fixed point
            G <- G^1/2 expm(mean_i logm(G^-1/2 C_i G^-1/2)) G^1/2
            (scipy.linalg), tangent vectors logm(G^-1/2 C_i G^-1/2)."""
import sys
import numpy as np

mode, d = sys.argv[1], sys.argv[2]

if mode == "folds":
    from sklearn.model_selection import StratifiedKFold
    with open(f"{d}/ref_folds.txt", "w") as out:
        for line in open(f"{d}/cases.txt"):
            k, *labels = line.split()
            y = np.array(labels)
            fold = np.zeros(len(y), int)
            for f, (_, test) in enumerate(StratifiedKFold(int(k)).split(np.zeros(len(y)), y)):
                fold[test] = f
            out.write(" ".join(map(str, fold)) + "\n")

elif mode == "classify":
    from sklearn.decomposition import PCA
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    x = np.loadtxt(f"{d}/features.txt", ndmin=2)
    y = np.loadtxt(f"{d}/labels.txt", dtype=str, ndmin=1)
    c = np.loadtxt(f"{d}/confounds.txt", ndmin=2) if open(f"{d}/confounds.txt").read().strip() else None
    k, n_comp = np.loadtxt(f"{d}/params.txt").astype(int)
    predicted = np.empty(len(y), dtype=object)
    decision = np.zeros(len(y))
    for train, test in StratifiedKFold(k).split(x, y):
        xtr, xte = x[train], x[test]
        if c is not None:
            design = np.column_stack([np.ones(len(train)), c[train]])
            beta = np.linalg.lstsq(design, xtr, rcond=None)[0]
            slopes = beta[1:]
            cm = c[train].mean(axis=0)
            xtr = xtr - (c[train] - cm) @ slopes
            xte = xte - (c[test] - cm) @ slopes
        model = make_pipeline(StandardScaler(), PCA(n_comp, svd_solver="full"), LinearDiscriminantAnalysis())
        model.fit(xtr, y[train])
        predicted[test] = model.predict(xte)
        decision[test] = model.decision_function(xte)
    np.savetxt(f"{d}/ref_predicted.txt", predicted.astype(str), fmt="%s")
    np.savetxt(f"{d}/ref_decision.txt", decision, fmt="%.17g")

elif mode == "tangent":
    from scipy.linalg import expm, logm, sqrtm, inv
    m = np.loadtxt(f"{d}/matrices.txt", ndmin=2)
    p = m.shape[1]
    mats = m.reshape(-1, p, p)
    g = mats.mean(axis=0)
    for _ in range(500):
        s = np.real(sqrtm(g))
        w = inv(s)
        step = np.mean([np.real(logm(w @ c @ w)) for c in mats], axis=0)
        g = s @ expm(step) @ s
        g = (g + g.T) / 2
        if np.linalg.norm(step) < 1e-13:
            break
    w = inv(np.real(sqrtm(g)))
    np.savetxt(f"{d}/ref_mean.txt", g, fmt="%.17g")
    np.savetxt(f"{d}/ref_tangent.txt", np.vstack([np.real(logm(w @ c @ w)) for c in mats]), fmt="%.17g")
