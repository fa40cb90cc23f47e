-- name: FunnelQuality
-- Parameters: none
-- Purpose: data-quality counts over the whole store (not only included
-- cohorts): orphan stage rows and outcomes (lead_id not in leads: rows of
-- the table missing from fl_entry), stage rows and outcomes dated before
-- their lead's creation, and leads whose stage dates are out of order
-- within one pass through the funnel, by the rule of
-- status_stages_out_of_order.sql: each recycle entry (idx -1) starts a new
-- pass (an entry at the very moment of a recycle belongs to the pass it
-- ends), and within a pass a funnel stage after the first first entered
-- before an earlier one of the same pass is out of order; stages a pass
-- skips are not compared (a referral entering at sql, a loop back through
-- mql after a recycle). Leads never recycled have one pass, read from
-- fl_first; only recycled leads are followed entry by entry. Needs
-- fl_base, fl_entry and fl_first.
WITH e AS (
    SELECT count(*) FILTER (WHERE src = 0) AS stage_rows,
           count(*) FILTER (WHERE idx = -2) AS outcome_rows,
           count(*) FILTER (WHERE src = 0 AND e.ts < b.created_at) AS stages_before,
           count(*) FILTER (WHERE idx = -2 AND e.ts < b.created_at) AS outcomes_before
    FROM fl_entry e
    JOIN fl_base b USING (lead_no)
),
rec AS (
    SELECT lead_no, ts FROM fl_entry WHERE idx = -1
),
recycled AS (
    SELECT DISTINCT lead_no FROM rec
),
one_pass AS (
    SELECT DISTINCT a.lead_no
    FROM fl_first a
    JOIN fl_first b ON b.lead_no = a.lead_no AND b.idx > a.idx AND b.first_at < a.first_at
    ANTI JOIN recycled r ON r.lead_no = a.lead_no
),
passes AS (
    SELECT x.lead_no, x.idx, x.ts, count(r.ts) AS pass
    FROM fl_entry x
    SEMI JOIN recycled c ON c.lead_no = x.lead_no
    LEFT JOIN rec r ON r.lead_no = x.lead_no AND r.ts < x.ts
    WHERE x.idx >= 1
    GROUP BY x.lead_no, x.idx, x.ts
),
pass_first AS (
    SELECT lead_no, pass, idx, min(ts) AS first_at
    FROM passes
    GROUP BY lead_no, pass, idx
),
looped AS (
    SELECT DISTINCT a.lead_no
    FROM pass_first a
    JOIN pass_first b ON b.lead_no = a.lead_no AND b.pass = a.pass AND b.idx > a.idx AND b.first_at < a.first_at
)
SELECT (SELECT count(*) FROM stages) - e.stage_rows AS orphan_stages,
       (SELECT count(*) FROM outcomes) - e.outcome_rows AS orphan_outcomes,
       e.stages_before,
       e.outcomes_before,
       (SELECT count(*) FROM one_pass) + (SELECT count(*) FROM looped) AS out_of_order_leads
FROM e
