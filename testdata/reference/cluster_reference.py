#!/usr/bin/python3
"""Reference values for calibrate.ClusterRobust (cluster-robust standard errors).

Run with the Debian interpreter and package (apt-get install python3-statsmodels):

    cd testdata/reference && /usr/bin/python3 cluster_reference.py

Datasets (numpy default_rng with fixed seeds):
  landmarks  600 leads observed at ages 1, 3, 7, 14, 30 days until sales accepts them
             (winners sooner), so 1 to 5 snapshots per lead; the label is the lead's
             outcome, the same on all its snapshots, drawn with a lead-level random
             effect so snapshots of one lead are dependent. Columns: lm3, lm7, lm14,
             lm30 (landmark dummies; landmark 1 is the base, absorbed by the constant
             that statsmodels and FitLogit both add), ref (a lead-level 0/1 flag),
             visits (actions before the landmark, capped at 3), demo (0/1, before the
             landmark). Fitted by Logit(y, const + X).fit(cov_type='cluster',
             groups=lead) and, for comparison, with the default covariance.
             landmarks.csv has one row per snapshot (cluster, x..., y, row);
             landmarks_rows.csv the unique (x, y) rows with their counts w, in
             numpy.unique's order; `row` is the snapshot's unique row (0-based).
  single     800 leads, one snapshot each, with a continuous column (so rows are
             unique): the default Logit fit, and cov_type='cluster' with one group
             per row.

Each <name>.json holds params, bse, pvalues, conf_int (95 %) of both fits, the
number of groups, the small-sample factor statsmodels applied (checked here
against a sandwich computed with numpy), and the versions of python, numpy,
scipy and statsmodels. The Go tests read these files; CI never runs Python.
"""
import json
import platform

import numpy as np
import scipy
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
    }


def fits(X, y, groups):
    Xc = sm.add_constant(X, has_constant="add")
    kw = dict(method="newton", tol=1e-12, maxiter=100, disp=0)
    plain = sm.Logit(y, Xc).fit(**kw)
    robust = sm.Logit(y, Xc).fit(cov_type="cluster", cov_kwds={"groups": groups}, **kw)
    assert plain.mle_retvals["converged"] and robust.mle_retvals["converged"]
    # The sandwich by hand, to record which small-sample factor statsmodels applies.
    p = sigmoid(Xc @ robust.params)
    bread = np.linalg.inv((Xc * (p * (1 - p))[:, None]).T @ Xc)
    scores = Xc * (y - p)[:, None]
    labels = np.unique(groups)
    S = np.array([scores[groups == g].sum(axis=0) for g in labels])
    meat = S.T @ S
    G, N, K = len(labels), Xc.shape[0], Xc.shape[1]
    factor = G / (G - 1) * (N - 1) / (N - K)
    V = factor * bread @ meat @ bread
    assert np.allclose(V, robust.cov_params(), rtol=1e-9, atol=0), "small-sample factor differs"
    return plain, robust, {"groups": int(G), "nobs": int(N), "k_params": int(K),
                           "factor": factor, "factor_formula": "G/(G-1)*(N-1)/(N-K)"}


def write_csv(name, header, rows):
    with open(name, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(repr(float(v)) if not float(v).is_integer() else str(int(v)) for v in row) + "\n")


def write_json(name, out):
    with open(name, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


def landmarks():
    rng = np.random.default_rng(20261129)
    leads = 600
    ages = [1, 3, 7, 14, 30]
    ref = rng.binomial(1, 0.3, leads)
    u = rng.normal(0, 1.0, leads)  # lead-level effect: snapshots of a lead are dependent
    rate = rng.gamma(2.0, 0.08, leads)  # actions per day
    demo_day = rng.exponential(25, leads)
    # The outcome is planted on what the lead did by day 7.
    visits7 = np.minimum(rng.poisson(rate * 7), 3)
    won = rng.binomial(1, sigmoid(-1.6 + 0.7 * ref + 0.35 * visits7 + 1.2 * (demo_day < 7) + u))
    # Sales accepts winners sooner; a snapshot exists while the lead is not yet accepted.
    accepted = np.where(won == 1, 1 + rng.exponential(8, leads), 1 + rng.exponential(25, leads))
    rows, groups = [], []
    for i in range(leads):
        cum = 0
        prev = 0
        for a in ages:
            cum += rng.poisson(rate[i] * (a - prev))
            prev = a
            if a == 1 or a < accepted[i]:
                dummies = [float(a == b) for b in ages[1:]]
                rows.append(dummies + [ref[i], min(cum, 3), float(demo_day[i] < a), won[i]])
                groups.append(i)
            else:
                break
    data = np.array(rows, dtype=float)
    X, y = data[:, :-1], data[:, -1]
    groups = np.array(groups)
    for j in range(4):  # every landmark holds both outcomes
        sel = X[:, j] == 1
        assert 0 < y[sel].sum() < sel.sum()
    names = ["lm3", "lm7", "lm14", "lm30", "ref", "visits", "demo"]
    plain, robust, info = fits(X, y, groups)
    full = np.column_stack([X, y])
    uniq, inverse, counts = np.unique(full, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    assert np.array_equal(uniq[inverse], full)
    xnames = [f"x{j + 1}" for j in range(X.shape[1])]
    write_csv("landmarks.csv", ["cluster"] + xnames + ["y", "row"],
              np.column_stack([groups, X, y, inverse]))
    write_csv("landmarks_rows.csv", xnames + ["y", "w"], np.column_stack([uniq, counts]))
    sizes = np.bincount(np.bincount(groups))
    write_json("landmarks.json", {
        "dataset": "landmarks", "n_rows": int(X.shape[0]), "n_unique_rows": int(uniq.shape[0]),
        "feature_names": names, "cluster_sizes": {str(s): int(c) for s, c in enumerate(sizes) if s > 0 and c > 0},
        "versions": versions(), "cluster": info,
        "fit": fit_json(robust, xnames), "fit_nonrobust": fit_json(plain, xnames),
    })


def single():
    rng = np.random.default_rng(8)
    n = 800
    X = np.column_stack([
        rng.binomial(1, 0.4, n),
        np.minimum(rng.poisson(1.2, n), 4),
        rng.normal(0, 1, n),
    ]).astype(float)
    y = rng.binomial(1, sigmoid(-1.0 + 0.9 * X[:, 0] + 0.3 * X[:, 1] - 0.5 * X[:, 2])).astype(float)
    plain, robust, info = fits(X, y, np.arange(n))
    xnames = [f"x{j + 1}" for j in range(X.shape[1])]
    write_csv("single.csv", ["cluster"] + xnames + ["y"], np.column_stack([np.arange(n), X, y]))
    write_json("single.json", {
        "dataset": "single", "n_rows": n, "versions": versions(), "cluster": info,
        "fit": fit_json(plain, xnames), "fit_cluster": fit_json(robust, xnames),
    })


if __name__ == "__main__":
    landmarks()
    single()
