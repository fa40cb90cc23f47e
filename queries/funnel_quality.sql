-- name: FunnelQuality
-- Parameters: none
-- Purpose: data-quality counts over the whole store (not only included
-- cohorts): orphan stage rows and outcomes (lead_id not in leads), stage rows
-- and outcomes dated before their lead's creation, and leads whose first
-- explicit entry into a funnel stage is earlier than their first explicit
-- entry into an earlier funnel stage. Needs fl_lead and fl_stage_first.
SELECT
    (SELECT count(*) FROM stages WHERE lead_id NOT IN (SELECT lead_id FROM fl_lead)) AS orphan_stages,
    (SELECT count(*) FROM outcomes WHERE lead_id NOT IN (SELECT lead_id FROM fl_lead)) AS orphan_outcomes,
    (SELECT count(*) FROM stages s JOIN fl_lead f USING (lead_id) WHERE s.entered_at < f.created_at) AS stages_before_creation,
    (SELECT count(*) FROM outcomes o JOIN fl_lead f USING (lead_id) WHERE o.closed_at < f.created_at) AS outcomes_before_creation,
    (SELECT count(DISTINCT a.lead_id)
       FROM fl_stage_first a
       JOIN fl_stage_first b ON b.lead_id = a.lead_id AND b.idx > a.idx AND b.first_at < a.first_at) AS out_of_order_leads
