-- Builds temp table demo_c: $n pseudo-random complaints (deterministic per $seed) over the two
-- years before $anchor (a tenth of them in the last 20 days), placed on random units (so big projects get more), with a status that
-- fits their age and the timestamps of every step they reached. Params: $n, $seed, $anchor
CREATE OR REPLACE TEMP TABLE demo_c AS
WITH u AS (
    SELECT u.id AS unit_id, u.code AS unit_code, u.project_id, p.branch_id, u.building_id, b.name AS building,
           row_number() OVER (ORDER BY u.id) - 1 AS rn
    FROM units u JOIN projects p ON p.id = u.project_id JOIN buildings b ON b.id = u.building_id
), nu AS (SELECT count(*) AS n FROM u),
cat AS (
    SELECT c.id, c.code, c.default_department_id, row_number() OVER (ORDER BY c.id) - 1 AS rn
    FROM categories c WHERE c.parent_id IS NOT NULL AND c.active AND c.code <> 'OTH-GEN'
), ncat AS (SELECT count(*) AS n FROM cat),
r AS (
    SELECT i, hash(i, $seed, 1) AS h1, hash(i, $seed, 2) AS h2, hash(i, $seed, 3) AS h3,
           hash(i, $seed, 4) % 1000 AS r4, hash(i, $seed, 5) % 100 AS r5, hash(i, $seed, 6) % 100 AS r6,
           hash(i, $seed, 7) % 100 AS r7, hash(i, $seed, 8) % 100 AS r8, hash(i, $seed, 9) AS h9
    FROM range($n) t(i)
), base AS (
    SELECT r.*, u.unit_id, u.unit_code, u.project_id, u.branch_id, u.building_id, u.building,
           cat.id AS category_id, cat.code AS category_code, cat.default_department_id,
           CAST($anchor AS TIMESTAMPTZ) - to_minutes(CAST(60 + CASE WHEN r.h3 % 10 = 0 THEN (r.h3 // 10) % (20 * 1440)
                                                            ELSE r.h3 % (730 * 1440) END AS BIGINT)) AS received_at
    FROM (SELECT r.*, r.h1 % nu.n AS upick, r.h2 % ncat.n AS cpick FROM r CROSS JOIN nu CROSS JOIN ncat) r
    JOIN u ON u.rn = r.upick
    JOIN cat ON cat.rn = r.cpick
), aged AS (
    SELECT *, epoch(CAST($anchor AS TIMESTAMPTZ) - received_at) / 3600.0 AS age_h,
           CASE WHEN r7 < 15 THEN 'urgent' ELSE 'normal' END AS urgency,
           CASE WHEN r8 < 45 THEN 'PHONE' WHEN r8 < 60 THEN 'VISIT' WHEN r8 < 64 THEN 'LETTER'
                WHEN r8 < 74 THEN 'HOTLINE' WHEN r8 < 78 THEN 'MAILBOX' WHEN r8 < 93 THEN 'ONLINE'
                WHEN r8 < 96 THEN 'COMPANY' WHEN r8 < 98 THEN 'SUPERIOR' ELSE 'GOV' END AS channel_code
    FROM base
), st AS (
    SELECT *,
        CASE WHEN age_h < 24 THEN CASE WHEN r4 < 400 THEN 'received' WHEN r4 < 700 THEN 'judged'
                                       WHEN r4 < 900 THEN 'dispatched' ELSE 'in_progress' END
             WHEN age_h < 24 * 20 THEN CASE WHEN r4 < 80 THEN 'received' WHEN r4 < 180 THEN 'judged'
                                       WHEN r4 < 330 THEN 'dispatched' WHEN r4 < 560 THEN 'in_progress'
                                       WHEN r4 < 610 THEN 'suspended' WHEN r4 < 760 THEN 'resolved'
                                       WHEN r4 < 830 THEN 'revisited' ELSE 'closed' END
             ELSE CASE WHEN r4 < 945 THEN 'closed' WHEN r4 < 955 THEN 'revisited' WHEN r4 < 965 THEN 'resolved'
                       WHEN r4 < 985 THEN 'in_progress' WHEN r4 < 992 THEN 'suspended' ELSE 'dispatched' END
        END AS status
    FROM aged
)
SELECT st.*,
    CASE WHEN status = 'received' THEN NULL WHEN r5 < 75 THEN 'valid' WHEN r5 < 90 THEN 'coordination'
         ELSE 'invalid' END AS validity,
    CASE WHEN status = 'received' THEN NULL WHEN r6 < 85 THEN 'general' WHEN r6 < 97 THEN 'important'
         ELSE 'major' END AS grade
FROM st
