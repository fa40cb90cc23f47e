-- name: FeatureLeadSample
-- Parameters:
--   $1 sample_every BIGINT  k ≥ 1 (see FeatureParams.SampleEvery)
-- Purpose: how many leads the store holds (total) and how many of them a
-- sample of every k-th lead in load order takes (sampled: rowid a multiple
-- of k, the test of snapshot_landmarks.sql).
SELECT count(*) AS total,
       count(*) FILTER (WHERE rowid % $1::BIGINT = 0) AS sampled
FROM leads
