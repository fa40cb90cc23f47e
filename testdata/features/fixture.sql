-- Fixture of the leak-free feature tests (queries/features_test.go and
-- calibrate/features_test.go).
-- A hand-built funnel of six leads. Landmarks 1, 7 and 30 days, horizon 180
-- days, sales stages {sal, sql, opportunity}; data_end = 2025-12-01 (L5's
-- won date, the latest timestamp). A lead is handed over at its first
-- sales stage or outcome; it has a snapshot at age ℓ when created + ℓ is
-- not after data_end and not after it was handed over. Features count the
-- events strictly before created + ℓ.
--
--   L1 web      created 01-01, won 03-01 (handed 03-01): snapshots 01-02,
--               01-08, 01-31. page_view 01-02 00:00 is not before 01-02 (ℓ=1
--               sees nothing); ℓ=7 sees it (age 6 d); ℓ=30 sees page_view
--               01-02 and 01-11 (ages 29, 20 d) and demo_request 01-20 12:00
--               (10.5 d); demo_request 02-05 is after every snapshot. Won
--               within 180 d: label true; mature.
--   L2 referral created 01-05; SAL 01-10 hands it over: only the 01-06
--               snapshot (ℓ=7 is 01-12, after the SAL). Nothing before 01-06
--               (demo 01-09 and pricing 01-12 come later). Won 09-01 >
--               01-05 + 180 d = 07-04: label false.
--   L3 web      created 02-01, lost 04-01: snapshots 02-02, 02-08, 03-03; no
--               events; label false, mature.
--   L6 event    created 03-01, MQL 03-05 (not a sales stage), won 08-28 =
--               03-01 + 180 d exactly (label true): snapshots 03-02, 03-08,
--               03-31; ebook 03-20 seen at ℓ=30 (age 11 d). Qualified (mql).
--   L4 web      created 11-01, nothing else: snapshots 11-02, 11-08 and
--               12-01 (= data_end, still inside); page_view 11-02 00:00 seen
--               at ℓ=7 (6 d) and ℓ=30 (29 d). Window open: immature.
--   L5 referral created 11-10, SQL 11-20, won 12-01: snapshots 11-11 and
--               11-17 (ℓ=30 is past data_end); demo 11-15 seen at ℓ=7 (2 d).
--               Label true but immature (early winners alone would bias
--               recent cohorts).
-- Rows in order: L1×3, L2×1, L3×3, L6×3, L4×3, L5×2 = 15 snapshots.
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
