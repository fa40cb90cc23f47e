-- name: FunnelQuality
-- Parameters: none
-- Purpose: data-quality counts over the whole store (not only included
-- cohorts): orphan stage rows and outcomes (lead_id not in leads: rows of
-- the table missing from fl_entry), stage rows and outcomes dated before
-- their lead's creation, and leads whose first explicit entry into a funnel
-- stage is earlier than their first explicit entry into an earlier funnel
-- stage. Needs fl_base, fl_entry and fl_first.
WITH e AS (
    SELECT count(*) FILTER (WHERE src = 0) AS stage_rows,
           count(*) FILTER (WHERE idx = -2) AS outcome_rows,
           count(*) FILTER (WHERE src = 0 AND e.ts < b.created_at) AS stages_before,
           count(*) FILTER (WHERE idx = -2 AND e.ts < b.created_at) AS outcomes_before
    FROM fl_entry e
    JOIN fl_base b USING (lead_no)
)
SELECT (SELECT count(*) FROM stages) - e.stage_rows AS orphan_stages,
       (SELECT count(*) FROM outcomes) - e.outcome_rows AS orphan_outcomes,
       e.stages_before,
       e.outcomes_before,
       (SELECT count(DISTINCT a.lead_no)
          FROM fl_first a
          JOIN fl_first b ON b.lead_no = a.lead_no AND b.idx > a.idx AND b.first_at < a.first_at) AS out_of_order_leads
FROM e
