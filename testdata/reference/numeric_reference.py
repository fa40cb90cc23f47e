#!/usr/bin/python3
"""Reference values for calibrate's numeric features (bins and linear terms).

Run with the Debian interpreter and package (apt-get install python3-statsmodels):

    cd testdata/reference && /usr/bin/python3 numeric_reference.py

It writes numeric_leads.csv, a flat lead export of the kind issue 12 describes
(one row per lead: a categorical source, a yes/no flag, visits (counts), minutes on
site (10% empty), account balance (negative values too) and a converted 0/1
column; numpy default_rng(12), n = 2000), and two statsmodels fits on it:

  numeric_bins.json    every numeric column cut into bins by the rule below, each
                       bin but the baseline an indicator column, missing values an
                       indicator column of their own;
  numeric_linear.json  every numeric column as one column (missing → 0) plus the
                       missing indicator.

The binning rule is implemented here from its statement, independently of the Go
code (calibrate/bins.go), on all 2000 rows (they are all training rows):
  1. quantile cuts: sort the n non-missing values; candidate cut k = 1..9 is the value
     at 0-based position ceil(k*n/10); a cut equal to the smallest value or to the
     previous cut is dropped. Bin k holds edges[k-1] <= x < edges[k].
  2. while a bin holds fewer than ceil(0.05 * 2000) = 100 rows, the smallest such bin
     (leftmost of equals) merges with its smaller neighbour (left of equals).
  3. monotone: for each direction, repeatedly pool the first adjacent pair whose rates
     are not strictly in that direction, until none is left; keep the direction with
     the higher binomial log-likelihood of its bins (increasing on a tie).
  4. a bin with no positive or no negative row merges with its smaller neighbour.
The baseline bin (no column) is the bin with the most rows (the first of equals).
Missing values get a column when there are at least 30 of them with both outcomes.
(For the flat-export fits, numeric_flat_*.json, the same rule on the 1,400 training leads
of calibrate's random split: bins of at least ceil(0.05 * 1400) = 70 leads.)
Categorical columns: the most common level is the baseline, the others get a column
each in name order. Column order: do_not_email, source, then visits, minutes, balance.
Fit: sm.Logit(...).fit(method="newton", tol=1e-12), as logit_reference.py does.
"""
import json
import math
import platform

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

N = 2000
MIN_LEVEL = 30


def make_data():
    rng = np.random.default_rng(12)
    source = rng.choice(["web", "referral", "event"], size=N, p=[0.5, 0.25, 0.25])
    dne = rng.random(N) < 0.2
    visits = rng.poisson(3, size=N)
    minutes = np.round(rng.lognormal(2.5, 1.0, size=N), 1)
    missing = rng.random(N) < 0.1
    balance = np.clip(np.round(rng.normal(1500, 3000, size=N)), -20000, 20000)
    z = (-2.2 + 0.8 * (source == "referral") + 0.3 * (source == "event") - 0.7 * dne
         + 0.15 * visits + 0.45 * np.where(missing, 0.0, np.log1p(minutes)) - 0.3 * missing
         + 0.00012 * balance)
    y = (rng.random(N) < 1 / (1 + np.exp(-z))).astype(int)
    df = pd.DataFrame({
        "lead_id": [f"N{i:04d}" for i in range(N)],
        "source": source,
        "do_not_email": np.where(dne, "yes", "no"),
        "visits": visits,
        "minutes": [("" if m else f"{v:g}") for v, m in zip(minutes, missing)],
        "balance": balance.astype(int),
        "converted": y,
    })
    return df


def quantile_edges(x, min_count):
    v = np.sort(x)
    n = len(v)
    edges = []
    for k in range(1, 10):
        pos = math.ceil(k * n / 10)
        if pos >= n:
            break
        c = v[pos]
        if c == v[0] or (edges and c == edges[-1]):
            continue
        edges.append(float(c))
    while edges:
        counts = list(np.bincount(np.searchsorted(edges, v, side="right"), minlength=len(edges) + 1))
        small = [k for k, c in enumerate(counts) if c < min_count]
        if not small:
            break
        k = min(small, key=lambda j: (counts[j], j))
        if k == 0:
            nb = 1
        elif k == len(counts) - 1:
            nb = k - 1
        else:
            nb = k + 1 if counts[k + 1] < counts[k - 1] else k - 1
        del edges[min(k, nb)]
    return edges


def tallies(edges, x, y):
    b = np.searchsorted(edges, x, side="right")
    return [[float((b == k).sum()), float(y[b == k].sum())] for k in range(len(edges) + 1)]


def pool_until_monotone(edges, t, increasing):
    edges, t = list(edges), [list(b) for b in t]
    while True:
        for k in range(len(t) - 1):
            r0, r1 = t[k][1] / t[k][0], t[k + 1][1] / t[k + 1][0]
            if (increasing and r0 >= r1) or (not increasing and r0 <= r1):
                t[k] = [t[k][0] + t[k + 1][0], t[k][1] + t[k + 1][1]]
                del t[k + 1]
                del edges[k]
                break
        else:
            return edges, t


def loglik(t):
    s = 0.0
    for n, pos in t:
        for c in (pos, n - pos):
            if c > 0:
                s += c * math.log(c / n)
    return s


def merge_pure(edges, t):
    edges, t = list(edges), [list(b) for b in t]
    while len(t) > 1:
        pure = [k for k, (n, pos) in enumerate(t) if pos == 0 or pos == n]
        if not pure:
            break
        k = pure[0]
        if k == 0:
            nb = 1
        elif k == len(t) - 1:
            nb = k - 1
        else:
            nb = k + 1 if t[k + 1][0] < t[k - 1][0] else k - 1
        lo = min(k, nb)
        t[lo] = [t[lo][0] + t[lo + 1][0], t[lo][1] + t[lo + 1][1]]
        del t[lo + 1]
        del edges[lo]
    return edges, t


def bin_edges(x, y, min_count):
    edges = quantile_edges(x, min_count)
    t = tallies(edges, x, y)
    up = pool_until_monotone(edges, t, True)
    down = pool_until_monotone(edges, t, False)
    kept = down if loglik(down[1]) > loglik(up[1]) else up
    edges, t = merge_pure(*kept)
    baseline = max(range(len(t)), key=lambda k: (t[k][0], -k))
    return edges, baseline, t


def num_name(v):
    # Go's strconv.FormatFloat(v, 'g', -1, 64) for the values of this data set
    # (whole numbers below 1e21 print without ".0"; others shortest round-trip).
    return str(int(v)) if v == int(v) and abs(v) < 1e5 else repr(v)


def bin_name(col, edges, k):
    lo = "(-inf" if k == 0 else "[" + num_name(edges[k - 1])
    hi = "inf)" if k == len(edges) else num_name(edges[k]) + ")"
    return f"attr:{col}={lo},{hi}"


def design(df, mode, groups=(("do_not_email", "attr:do_not_email="), ("source", "attr:source="))):
    y = df["converted"].to_numpy()
    min_count = math.ceil(0.05 * len(df))
    cols, names, info = [], [], {}
    for col, prefix in groups:
        counts = df[col].value_counts()
        levels = sorted(counts.index, key=lambda v: (-counts[v], v))
        for lv in sorted(levels[1:]):
            cols.append((df[col] == lv).astype(float).to_numpy())
            names.append(prefix + lv)
        info[col] = {"baseline": levels[0]}
    for col in ["visits", "minutes", "balance"]:
        raw = pd.to_numeric(df[col].replace("", np.nan)).to_numpy(dtype=float)
        miss = np.isnan(raw)
        x, yy = raw[~miss], y[~miss]
        if mode == "bins":
            edges, baseline, t = bin_edges(x, yy, min_count)
            b = np.searchsorted(edges, np.where(miss, 0, raw), side="right")
            for k in range(len(edges) + 1):
                if k != baseline:
                    cols.append(((b == k) & ~miss).astype(float))
                    names.append(bin_name(col, edges, k))
            info[col] = {"edges": edges, "baseline": baseline, "bins": [{"n": n, "pos": p} for n, p in t]}
        else:
            cols.append(np.where(miss, 0.0, raw))
            names.append(f"attr:{col}")
            info[col] = {}
        if miss.sum() >= MIN_LEVEL and 0 < y[miss].sum() < miss.sum():
            cols.append(miss.astype(float))
            names.append(f"attr:{col}=(missing)")
            info[col]["missing_column"] = True
    return np.column_stack(cols), y, names, info


def fit(df, mode, **kw):
    X, y, names, info = design(df, mode, **kw)
    res = sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    ci = res.conf_int(0.05)
    return {
        "mode": mode,
        "n_rows": int(len(y)),
        "versions": {"python": platform.python_version(), "numpy": np.__version__,
                     "pandas": pd.__version__, "statsmodels": statsmodels.__version__},
        "columns": info,
        "fit": {
            "names": ["const"] + names,
            "params": [float(v) for v in res.params],
            "bse": [float(v) for v in res.bse],
            "pvalues": [float(v) for v in res.pvalues],
            "conf_int_low": [float(v) for v in ci[:, 0]],
            "conf_int_high": [float(v) for v in ci[:, 1]],
            "llf": float(res.llf),
        },
    }


def main():
    df = make_data()
    df.to_csv("numeric_leads.csv", index=False)
    df = pd.read_csv("numeric_leads.csv", dtype={"minutes": str}, keep_default_na=False)
    for mode in ["bins", "linear"]:
        with open(f"numeric_{mode}.json", "w") as f:
            json.dump(fit(df, mode), f, indent=1)
            f.write("\n")
    # The flat export as funnel loads it (source as the channel, converted as
    # the outcome column, no dates) and calibrate --split random (seed 1)
    # splits it: the training leads are numeric_flat_train.txt, written by
    # calibrate's TestWriteFlatTrainingIDs. The fit is on them alone, with the
    # channel group first ("channel:<level>"), then do_not_email, then the
    # numeric columns, bins cut on the 1,400 training leads.
    ids = [line.strip() for line in open("numeric_flat_train.txt") if line.strip()]
    train = df.set_index("lead_id").loc[ids].reset_index()
    for mode in ["bins", "linear"]:
        with open(f"numeric_flat_{mode}.json", "w") as f:
            json.dump(fit(train, mode, groups=(("source", "channel:"), ("do_not_email", "attr:do_not_email="))), f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
