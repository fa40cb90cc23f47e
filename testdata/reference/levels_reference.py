#!/usr/bin/python3
"""Reference values for the level coding of calibrate's design (issue 12).

Run with the Debian interpreter and package (apt-get install python3-statsmodels):

    cd testdata/reference && /usr/bin/python3 levels_reference.py

It writes levels.csv, a flat export of 1000 leads without dates (lead_id, channel, title,
converted as 1/0), and levels.json with a statsmodels Logit of converted on the one-hot
channel and title, coded here independently of the Go code by the rules calibrate states:

  - an empty channel is the level "(none)", an empty title "(missing)";
  - a level with fewer than 30 leads (MinLeads; 1% of 1000 is less) is lumped into
    "(other)", which is apart from the real channel value "other";
  - the baseline of a group is its most common level (ties by name), without a column.

Columns are named as the Go design names them ("channel:<level>", "attr:title=<level>").
numpy default_rng(12); the versions that produced the file are written beside the values.
"""
import json
import platform

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

N = 1000
MIN_LEADS = 30

rng = np.random.default_rng(12)
channels = rng.choice(["web", "referral", "other", "", "fax", "telex", "pigeon"], size=N,
                      p=[0.40, 0.25, 0.20, 0.08, 0.02, 0.02, 0.03])
titles = rng.choice(["cto", "manager", ""], size=N, p=[0.35, 0.35, 0.30])
effect = {"web": 0.0, "referral": 0.9, "other": -0.5, "": 0.4, "fax": 0.6, "telex": 0.6, "pigeon": 0.6}
title_effect = {"cto": 0.7, "manager": 0.0, "": -0.6}
z = -1.2 + np.array([effect[c] for c in channels]) + np.array([title_effect[t] for t in titles])
converted = (rng.random(N) < 1 / (1 + np.exp(-z))).astype(int)

flat = pd.DataFrame({"lead_id": [f"F{i}" for i in range(N)], "channel": channels, "title": titles,
                     "converted": converted})
flat.to_csv("levels.csv", index=False)


def code(values, empty):
    levels = pd.Series(values).replace("", empty)
    counts = levels.value_counts()
    rare = set(counts[counts < MIN_LEADS].index)
    levels = levels.where(~levels.isin(rare), "(other)")
    counts = levels.value_counts()
    baseline = sorted(counts.index, key=lambda v: (-counts[v], v))[0]
    return levels, baseline


ch, ch_base = code(channels, "(none)")
ti, ti_base = code(titles, "(missing)")
cols = {}
for name, levels, base, prefix in [("channel", ch, ch_base, "channel:"), ("title", ti, ti_base, "attr:title=")]:
    for v in sorted(set(levels) - {base}):
        cols[prefix + v] = (levels == v).astype(float).to_numpy()
X = sm.add_constant(pd.DataFrame(cols))
fit = sm.Logit(converted, X).fit(disp=0, tol=1e-12, maxiter=100)

out = {
    "baselines": {"channel": ch_base, "attr:title": ti_base},
    "names": list(cols),
    "params": {k: float(v) for k, v in fit.params.items()},
    "bse": {k: float(v) for k, v in fit.bse.items()},
    "llf": float(fit.llf),
    "versions": {"python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
                 "statsmodels": statsmodels.__version__},
}
with open("levels.json", "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
