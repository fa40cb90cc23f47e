#!/usr/bin/python3
"""Reference values for calibrate.FitLogit and the validation metrics.

Run with the Debian interpreter and package (apt-get install python3-statsmodels):

    cd testdata/reference && /usr/bin/python3 logit_reference.py

For each dataset it writes <name>.csv (columns x1..xp, y and, for the weighted case, w)
and <name>.json with the statsmodels fit (params, bse, llf, llnull, pvalues, conf_int at 95 %)
and metrics of the fitted probabilities (AUC by an O(n^2) pair count and by Mann-Whitney U,
its DeLong standard error from the pairwise matrix, Brier score and log loss), plus the
versions of python, numpy, scipy and statsmodels that produced them. The Go tests read these
files; CI never runs Python.

Datasets (numpy default_rng with fixed seeds):
  small     n=500,  p=4:  mixed binary and count features
  counts    n=5000, p=12: Poisson action counts with mixed-sign true weights
  weighted  unique rows of n=3000 draws of 3 binary features and a count capped at 3,
            with w = number of identical (x, y) rows; fitted by Logit on the expanded rows
            and cross-checked with GLM Binomial freq_weights on the unique rows.
"""
import json
import platform

import numpy as np
import scipy
import scipy.stats
import statsmodels
import statsmodels.api as sm


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
    }


def pair_auc(p, y, w):
    """AUC as the weighted share of (positive, negative) pairs ordered correctly, ties 1/2."""
    pos, neg = p[y == 1], p[y == 0]
    wp, wn = w[y == 1], w[y == 0]
    gt = (pos[:, None] > neg[None, :]).astype(float)
    eq = (pos[:, None] == neg[None, :]).astype(float)
    m = gt + 0.5 * eq
    auc = (wp[:, None] * wn[None, :] * m).sum() / (wp.sum() * wn.sum())
    # DeLong (1988) structural components from the same pair matrix, weights as replication counts.
    v10 = (m * wn[None, :]).sum(axis=1) / wn.sum()  # per positive
    v01 = (m * wp[:, None]).sum(axis=0) / wp.sum()  # per negative
    W1, W0 = wp.sum(), wn.sum()
    s10 = (wp * (v10 - auc) ** 2).sum() / (W1 - 1)
    s01 = (wn * (v01 - auc) ** 2).sum() / (W0 - 1)
    return auc, float(np.sqrt(s10 / W1 + s01 / W0))


def metrics(p, y, w):
    auc, se = pair_auc(p, y, w)
    # Mann-Whitney U on the expanded rows as a second, independent method.
    reps = w.astype(int)
    pe, ye = np.repeat(p, reps), np.repeat(y, reps)
    u = scipy.stats.mannwhitneyu(pe[ye == 1], pe[ye == 0], alternative="two-sided").statistic
    auc_mw = u / ((ye == 1).sum() * (ye == 0).sum())
    pc = np.clip(p, 1e-15, 1 - 1e-15)
    brier = float((w * (p - y) ** 2).sum() / w.sum())
    logloss = float(-(w * (y * np.log(pc) + (1 - y) * np.log(1 - pc))).sum() / w.sum())
    return {"auc": float(auc), "auc_mannwhitney": float(auc_mw), "auc_delong_se": se,
            "brier": brier, "log_loss": logloss}


def fit_json(res, names):
    ci = np.asarray(res.conf_int(alpha=0.05))
    return {
        "names": ["const"] + names,
        "params": [float(v) for v in res.params],
        "bse": [float(v) for v in res.bse],
        "pvalues": [float(v) for v in res.pvalues],
        "conf_int_low": [float(v) for v in ci[:, 0]],
        "conf_int_high": [float(v) for v in ci[:, 1]],
        "llf": float(res.llf),
        "llnull": float(res.llnull),
    }


def write(name, X, y, w, fit, extra=None):
    p = X.shape[1]
    cols = [f"x{i + 1}" for i in range(p)] + ["y"] + (["w"] if w is not None else [])
    data = np.column_stack([X, y] + ([w] if w is not None else []))
    with open(f"{name}.csv", "w") as f:
        f.write(",".join(cols) + "\n")
        for row in data:
            f.write(",".join(repr(float(v)) if not float(v).is_integer() else str(int(v)) for v in row) + "\n")
    out = {"dataset": name, "n_rows": int(X.shape[0]), "versions": versions(), "fit": fit}
    if extra:
        out.update(extra)
    with open(f"{name}.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


def logit_fit(X, y):
    res = sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    assert res.mle_retvals["converged"]
    return res


def small():
    rng = np.random.default_rng(20261122)
    n = 500
    X = np.column_stack([
        rng.binomial(1, 0.3, n),
        rng.poisson(1.5, n),
        rng.binomial(1, 0.5, n),
        rng.poisson(0.5, n),
    ]).astype(float)
    beta = np.array([-1.0, 0.8, 0.3, -0.5, 0.6])
    y = rng.binomial(1, sigmoid(beta[0] + X @ beta[1:])).astype(float)
    res = logit_fit(X, y)
    names = [f"x{i + 1}" for i in range(X.shape[1])]
    write("small", X, y, None, fit_json(res, names), {"metrics": metrics(res.predict(), y, np.ones(n))})


def counts():
    rng = np.random.default_rng(7)
    n, p = 5000, 12
    rates = np.array([3.0, 1.0, 0.5, 0.2, 2.0, 0.1, 0.8, 1.5, 0.05, 0.3, 4.0, 0.6])
    X = rng.poisson(rates, size=(n, p)).astype(float)
    beta = np.array([-2.5, 0.05, 0.3, 0.6, 1.2, -0.2, 0.9, 0.0, 0.1, 1.5, -0.4, 0.02, 0.25])
    y = rng.binomial(1, sigmoid(beta[0] + X @ beta[1:])).astype(float)
    res = logit_fit(X, y)
    names = [f"x{i + 1}" for i in range(p)]
    write("counts", X, y, None, fit_json(res, names), {"metrics": metrics(res.predict(), y, np.ones(n))})


def weighted():
    rng = np.random.default_rng(99)
    n = 3000
    X = np.column_stack([
        rng.binomial(1, 0.4, n),
        rng.binomial(1, 0.2, n),
        rng.binomial(1, 0.6, n),
        np.minimum(rng.poisson(1.0, n), 3),
    ]).astype(float)
    beta = np.array([-1.5, 1.0, -0.7, 0.4, 0.5])
    y = rng.binomial(1, sigmoid(beta[0] + X @ beta[1:])).astype(float)
    full = np.column_stack([X, y])
    uniq, counts_ = np.unique(full, axis=0, return_counts=True)
    Xu, yu, wu = uniq[:, :-1], uniq[:, -1], counts_.astype(float)
    # Ground truth: Logit on the expanded rows, in the order of the unique rows.
    Xe, ye = np.repeat(Xu, counts_, axis=0), np.repeat(yu, counts_)
    res = logit_fit(Xe, ye)
    glm = sm.GLM(yu, sm.add_constant(Xu), family=sm.families.Binomial(), freq_weights=wu).fit(tol=1e-12)
    assert np.allclose(glm.params, res.params, atol=1e-8) and np.allclose(glm.bse, res.bse, atol=1e-8)
    names = [f"x{i + 1}" for i in range(X.shape[1])]
    pu = sigmoid(res.params[0] + Xu @ res.params[1:])
    extra = {
        "glm_freq_weights": {"params": [float(v) for v in glm.params], "bse": [float(v) for v in glm.bse]},
        "metrics": metrics(pu, yu, wu),
    }
    write("weighted", Xu, yu, wu, fit_json(res, names), extra)


if __name__ == "__main__":
    small()
    counts()
    weighted()
