#!/usr/bin/python3
"""The pandas + statsmodels peer of `funnel load + report + calibrate`.

What an analyst's notebook does with the same four CSV files, timed step by
step, for bench/run to compare the whole job with (issue 15). It is not a
reference for numbers (the tests never run Python); it is the speed a user
compares funnel with.

  load       pandas.read_csv of leads, events, stages, outcomes, timestamps
             parsed
  report     distinct leads reaching each stage (lead, mql, sal, sql,
             opportunity, won) by channel and by month of creation
  calibrate  the landmark snapshot at day 7, as funnel calibrate does in
             spirit: every lead still in marketing's hands 7 days after its
             creation (no sales stage, no outcome yet) and whose day 7 lies
             inside the data; features are its count of each action before
             that moment (capped at 5), its channel and its profile
             attributes (one-hot); the target is a won outcome; Logit fit
             by statsmodels (Newton)

Usage: bench/peer.py DATA_DIR   (the folder `funnel gen --out` wrote)
Prints one JSON object: seconds per step and in all, and the fit's size.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

SALES_STAGES = {"sal", "sql", "opportunity"}
FUNNEL = ["lead", "mql", "sal", "sql", "opportunity", "won"]
LANDMARK = pd.Timedelta(days=7)
CAP = 5
ATTRIBUTES = ["title", "company_size", "industry", "email_type"]


def load(d):
    leads = pd.read_csv(f"{d}/leads.csv", dtype=str, keep_default_na=False, na_values=[""])
    leads["created_at"] = pd.to_datetime(leads["created_at"])
    events = pd.read_csv(f"{d}/events.csv", dtype={"lead_id": str, "action": str, "value": float},
                         parse_dates=["occurred_at"])
    stages = pd.read_csv(f"{d}/stages.csv", dtype=str, parse_dates=["entered_at"])
    outcomes = pd.read_csv(f"{d}/outcomes.csv", dtype={"lead_id": str, "outcome": str, "amount": float},
                           parse_dates=["closed_at"])
    return leads, events, stages, outcomes


def report(leads, stages, outcomes):
    reached = pd.concat([
        stages[["lead_id", "stage"]].assign(stage=stages["stage"].str.lower()),
        outcomes.loc[outcomes["outcome"] == "won", ["lead_id"]].assign(stage="won"),
    ]).drop_duplicates()
    reached = reached[reached["stage"].isin(FUNNEL)]
    base = leads[["lead_id", "channel", "created_at"]].copy()
    base["month"] = base["created_at"].dt.strftime("%Y-%m")
    m = reached.merge(base, on="lead_id")
    by_channel = m.pivot_table(index="channel", columns="stage", values="lead_id", aggfunc="nunique", fill_value=0)
    by_month = m.pivot_table(index="month", columns="stage", values="lead_id", aggfunc="nunique", fill_value=0)
    return by_channel, by_month


def calibrate(leads, events, stages, outcomes):
    data_end = max(leads["created_at"].max(), events["occurred_at"].max(),
                   stages["entered_at"].max(), outcomes["closed_at"].max())
    handed = pd.concat([
        stages.loc[stages["stage"].str.lower().isin(SALES_STAGES), ["lead_id", "entered_at"]]
        .rename(columns={"entered_at": "t"}),
        outcomes[["lead_id", "closed_at"]].rename(columns={"closed_at": "t"}),
    ]).groupby("lead_id")["t"].min()
    snap = leads.set_index("lead_id")
    snap = snap.assign(at=snap["created_at"] + LANDMARK, handed_at=handed.reindex(snap.index))
    snap = snap[(snap["at"] <= data_end) & (snap["handed_at"].isna() | (snap["handed_at"] > snap["at"]))]

    ev = events[["lead_id", "occurred_at", "action"]].merge(
        snap[["at"]], left_on="lead_id", right_index=True)
    ev = ev[ev["occurred_at"] < ev["at"]]
    counts = pd.crosstab(ev["lead_id"], ev["action"]).reindex(snap.index, fill_value=0).clip(upper=CAP)
    counts.columns = ["action:" + c for c in counts.columns]
    cats = pd.get_dummies(snap[["channel"] + [a for a in ATTRIBUTES if a in snap]].fillna("(none)"),
                          drop_first=True, dtype=float)
    X = sm.add_constant(pd.concat([counts.astype(float), cats], axis=1))
    won = set(outcomes.loc[outcomes["outcome"] == "won", "lead_id"])
    y = snap.index.isin(won).astype(float)
    fit = sm.Logit(y, X).fit(disp=0, maxiter=100)
    return fit, X.shape


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    d = sys.argv[1]
    t = [time.perf_counter()]
    leads, events, stages, outcomes = load(d)
    t.append(time.perf_counter())
    report(leads, stages, outcomes)
    t.append(time.perf_counter())
    fit, shape = calibrate(leads, events, stages, outcomes)
    t.append(time.perf_counter())
    print(json.dumps({
        "load_s": round(t[1] - t[0], 2), "report_s": round(t[2] - t[1], 2),
        "calibrate_s": round(t[3] - t[2], 2), "total_s": round(t[3] - t[0], 2),
        "events": len(events), "snapshots": shape[0], "features": shape[1] - 1,
        "converged": bool(fit.mle_retvals.get("converged", False)),
        "pandas": pd.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
