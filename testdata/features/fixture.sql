-- Fixture of the leak-free feature tests (queries/features_test.go and
-- calibrate/features_test.go).
-- A hand-built funnel of six leads. With observe = 30
-- and horizon = 180 days, sales stages {sal, sql, opportunity}:
--
--   L1 web      created 01-01; no stage, so cut-off = 01-01 + 30 d = 01-31.
--               page_view 01-02 and 01-11 (ages 29 and 20 d), demo_request
--               01-20 12:00 (age 10.5 d) count; demo_request 02-05 is after the
--               cut-off and must not. Won 03-01 (≤ 06-30): label won = true.
--   L2 referral created 01-05; SAL 01-10 cuts off early. demo_request 01-09
--               (age 1 d) counts; pricing 01-12 happens after SAL (leakage) and
--               must not. Won 09-01 > 01-05 + 180 d = 07-04: label false.
--   L3 web      created 02-01, no events, lost: label false, mature.
--   L4 web      created 11-01; window 11-01 + 180 d is after data_end
--               (12-01, L5's won date, the latest timestamp): immature.
--               Cut-off = least(12-01, data_end 12-01) = 12-01.
--   L5 referral created 11-10, SQL 11-20 cuts off (demo 11-15, age 5 d).
--               Won 12-01 within horizon: label true, but immature: its
--               window is still open (early winners alone would bias recent cohorts).
--   L6 event    created 03-01, MQL 03-05 (not a sales stage), ebook 03-20
--               (cut-off 03-31, age 11 d); won 08-28 = 03-01 + 180 d exactly:
--               closed_at ≤ created_at + horizon, label true.
INSERT INTO leads VALUES
 ('L1','2025-01-01','web'),('L2','2025-01-05','referral'),('L3','2025-02-01','web'),
 ('L4','2025-11-01','web'),('L5','2025-11-10','referral'),('L6','2025-03-01','event');
INSERT INTO events VALUES
 ('L1','2025-01-02','page_view',NULL),('L1','2025-01-11','page_view',NULL),
 ('L1','2025-01-20 12:00','demo_request',NULL),('L1','2025-02-05','demo_request',NULL),
 ('L2','2025-01-09','demo_request',NULL),('L2','2025-01-12','pricing',NULL),
 ('L4','2025-11-02','page_view',NULL),
 ('L5','2025-11-15','demo_request',NULL),
 ('L6','2025-03-20','ebook',NULL);
INSERT INTO stages VALUES
 ('L2','SAL','2025-01-10'),('L5','sql','2025-11-20'),('L6','mql','2025-03-05');
INSERT INTO outcomes VALUES
 ('L1','2025-03-01','won',100),('L2','2025-09-01','won',100),('L3','2025-04-01','lost',NULL),
 ('L5','2025-12-01','won',50),('L6','2025-08-28','won',10);
