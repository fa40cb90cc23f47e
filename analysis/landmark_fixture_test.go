package analysis

// landmarkSQL is a small funnel worked out by hand for ByAction at a
// landmark of L = 3 days, with a 30-day window. Data end is 2025-06-30
// (B5's ebook). A lead is mature when created on or before 2025-05-31.
//
//	lead ch  created  stage rows (outcome)                   landmark = created + 3 d; in the population?
//	B1  web  01-01    mql 01-02 sal 01-03 (won 01-10)       01-04; out: qualified before it
//	B2  web  01-01    mql 01-10 sal 01-12 sql 01-15 (won 01-20)  01-04; in
//	B3  web  01-05    mql 01-08 sal 01-09 (lost 02-01)       01-08; in: qualified exactly at it, not before
//	B4  web  01-10    — (lost 02-15)                         01-13; in
//	B5  web  02-01    —                                      02-04; in
//	B6  web  02-01    mql 02-10 sal 02-11 (won 02-25)        02-04; in
//	B7  ref  03-01    sql 03-02 (won 03-20)                  03-04; out: sql (so mql by implication) before it
//	B8  web  06-28    —                                      07-01 > data end; out: too young
//	B9  web  06-10    —                                      06-13; in (immature, open)
//	B10 web  06-01    mql 06-05 (won 06-20)                  06-04; in (immature, won)
//	B11 web  06-27    —                                      06-30 = data end; in (immature, open)
//
// Events (✓ strictly before the landmark, ✗ not):
//
//	B1 pricing 01-01 12:00 ✓ (lead out)   B2 pricing 01-02 ✓, demo 01-05 ✗ (after the
//	landmark though before its mql 01-10: the old "before first MQL" counted it)
//	B3 pricing 01-07 23:00 ✓, demo 01-08 00:00 ✗ (at the landmark)
//	B4 pricing 01-11 ✓, pricing 01-12 ✓   B5 ebook 06-30 ✗
//	B6 webinar 02-02 ✓, demo 02-09 ✗      B7 pricing 03-01 12:00 ✓ (lead out)
//	B8 pricing 06-28 12:00 ✓ (lead out)   B9 pricing 06-11 ✓   B10 pricing 06-02 ✓
//
// Population: B2 B3 B4 B5 B6 B9 B10 B11 (8); mature B2..B6 (5); open B9 B11.
// Latest stage ever / within 30 days: B2 5/5, B3 2/2, B4 0, B5 0, B6 5/5
// (won 02-25 ≤ 03-03), B9 0, B10 5/5, B11 0.
var landmarkSQL = []string{
	`INSERT INTO leads VALUES
		('B1','2025-01-01','web'), ('B2','2025-01-01','web'), ('B3','2025-01-05','web'),
		('B4','2025-01-10','web'), ('B5','2025-02-01','web'), ('B6','2025-02-01','web'),
		('B7','2025-03-01','referral'), ('B8','2025-06-28','web'), ('B9','2025-06-10','web'),
		('B10','2025-06-01','web'), ('B11','2025-06-27','web')`,
	`INSERT INTO stages VALUES
		('B1','mql','2025-01-02'), ('B1','sal','2025-01-03'),
		('B2','mql','2025-01-10'), ('B2','sal','2025-01-12'), ('B2','sql','2025-01-15'),
		('B3','mql','2025-01-08'), ('B3','sal','2025-01-09'),
		('B6','mql','2025-02-10'), ('B6','sal','2025-02-11'),
		('B7','sql','2025-03-02'),
		('B10','mql','2025-06-05')`,
	`INSERT INTO outcomes VALUES
		('B1','2025-01-10','won',1), ('B2','2025-01-20','won',1), ('B3','2025-02-01','lost',NULL),
		('B4','2025-02-15','lost',NULL), ('B6','2025-02-25','won',1), ('B7','2025-03-20','won',1),
		('B10','2025-06-20','won',1)`,
	`INSERT INTO events VALUES
		('B1','2025-01-01 12:00','pricing',NULL),
		('B2','2025-01-02','pricing',NULL), ('B2','2025-01-05','demo',NULL),
		('B3','2025-01-07 23:00','pricing',NULL), ('B3','2025-01-08','demo',NULL),
		('B4','2025-01-11','pricing',NULL), ('B4','2025-01-12','pricing',NULL),
		('B5','2025-06-30','ebook',NULL),
		('B6','2025-02-02','webinar',NULL), ('B6','2025-02-09','demo',NULL),
		('B7','2025-03-01 12:00','pricing',NULL), ('B8','2025-06-28 12:00','pricing',NULL),
		('B9','2025-06-11','pricing',NULL), ('B10','2025-06-02','pricing',NULL)`,
}
