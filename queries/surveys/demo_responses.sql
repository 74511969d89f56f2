-- Demo data: returned forms of one wave, one per household, in SQL (fast at any size). Most
-- projects return 82-98% of their forms; about one in eight (and always the second project)
-- returns 60-78% (flagged).
-- Params: $wave_id, $seed, $starts_on, $days, $self_share
INSERT INTO survey_responses (wave_id, project_id, branch_id, form_no, unit_id, unit_text, source,
    returned_on, entered_by, entered_at)
WITH wp AS (
    SELECT wp.*, CASE WHEN hash(wp.project_id, $seed, 'low') % 8 = 0
                        OR wp.project_id = (SELECT min(id) + 1 FROM projects)
                      THEN 0.60 + (hash(wp.project_id, wp.wave_id, $seed) % 19) / 100.0
                      ELSE 0.82 + (hash(wp.project_id, wp.wave_id, $seed) % 17) / 100.0 END AS rate
    FROM survey_wave_projects wp WHERE wp.wave_id = $wave_id
), u AS (
    SELECT un.id, un.code, un.project_id,
           row_number() OVER (PARTITION BY un.project_id ORDER BY hash(un.id, $seed)) AS n
    FROM units un
)
SELECT wp.wave_id, wp.project_id, wp.branch_id, printf('%05d', u.n), u.id, u.code,
       CASE WHEN hash(u.id, $seed, 'src') % 1000 < $self_share * 1000 THEN 'self'
            WHEN hash(u.id, $seed, 'imp') % 3 = 0 THEN 'import' ELSE 'paper' END,
       $starts_on + (hash(u.id, $wave_id, $seed) % $days)::INTEGER,
       'demo', ($starts_on + (hash(u.id, $wave_id, $seed) % $days)::INTEGER)::TIMESTAMP + INTERVAL 17 HOUR
FROM wp JOIN u ON u.project_id = wp.project_id
WHERE u.n <= floor(wp.forms_issued * wp.rate)
ORDER BY wp.project_id, u.n
