-- Creates $n demo repairs and paid services over the two years before $anchor on random units.
-- Params: $n, $seed, $anchor
INSERT INTO service_records (project_id, branch_id, unit_id, unit_text, resident_name, resident_phone,
    service_type, department_id, completed_at, completed_by, description, external_ref, created_by)
WITH u AS (
    SELECT u.id, u.code, u.project_id, p.branch_id, row_number() OVER (ORDER BY u.id) - 1 AS rn
    FROM units u JOIN projects p ON p.id = u.project_id
), nu AS (SELECT count(*) AS n FROM u),
res AS (SELECT unit_id, name, phone, row_number() OVER (PARTITION BY unit_id ORDER BY id DESC) AS k FROM residents),
r AS (SELECT i, hash(i, $seed, 11) AS h1, hash(i, $seed, 12) AS h2 FROM range($n) t(i)),
rr AS (SELECT r.*, r.h1 % nu.n AS pick, CASE WHEN r.h2 % 100 < 80 THEN 'ENG' ELSE 'CS' END AS dept FROM r CROSS JOIN nu)
SELECT u.project_id, u.branch_id, u.id, u.code, res.name, res.phone,
       CASE WHEN r.h2 % 100 < 80 THEN 'repair' ELSE 'paid_service' END, d.id,
       CAST($anchor AS TIMESTAMPTZ) - to_minutes(CAST(30 + r.h2 % (730 * 1440) AS BIGINT)),
       '维修工 ' || substr('王李张刘陈杨黄赵', CAST(r.h1 % 8 AS INTEGER) + 1, 1) || '师傅',
       CASE r.h2 % 6 WHEN 0 THEN '更换厨房水龙头阀芯' WHEN 1 THEN '疏通卫生间下水管' WHEN 2 THEN '更换入户门锁'
            WHEN 3 THEN '维修空调冷凝水管' WHEN 4 THEN '更换灯具及开关面板' ELSE '家政保洁（有偿）' END,
       'WX-' || lpad(CAST(r.i + 1 AS VARCHAR), 8, '0'), 'demo'
FROM rr AS r JOIN u ON u.rn = r.pick
JOIN departments d ON d.code = r.dept
LEFT JOIN res ON res.unit_id = u.id AND res.k = 1
ORDER BY 9
