-- name: 002_undated_leads
-- Purpose: a flat lead export may carry no dates. leads.created_at NULL
-- means an undated lead (kept, counted by status, its own "(undated)"
-- cohort); outcomes.closed_at NULL means an outcome known without a date
-- (read from a leads file's outcome column), which analysis treats as known
-- and mature.
ALTER TABLE leads ALTER COLUMN created_at DROP NOT NULL;
ALTER TABLE outcomes ALTER COLUMN closed_at DROP NOT NULL;
