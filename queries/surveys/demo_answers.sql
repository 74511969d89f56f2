-- Demo data: the answers of one wave's forms. Most households are content and rarely tick 不满意;
-- a minority is unhappy with much. The unhappy share depends on the branch and the project and
-- shrinks slowly wave by wave ($wave_no); fees and repairs draw more 不满意 than customer service;
-- about 4% of answers are left unrated. Params: $wave_id, $wave_no, $seed
INSERT INTO survey_answers (response_id, item_key, rating)
WITH r AS (
    SELECT r.id, r.project_id, r.unit_id,
           ((hash(r.branch_id, $seed, 'b') % 1000) / 1000.0 - 0.5) * 0.16
           + ((hash(r.project_id, $seed, 'p') % 1000) / 1000.0 - 0.5) * 0.12
           + $wave_no * 0.012 AS q,
           (hash(r.unit_id, $wave_id, $seed, 'm') % 1000) / 1000.0 AS mood  -- not r.id: ids are
           -- given in parallel, so the same seed must not depend on them
    FROM survey_responses r WHERE r.wave_id = $wave_id
), x AS (
    SELECT r.id, i.item_key, r.mood < 0.18 - r.q AS unhappy,
           CASE i.dimension WHEN 'ENG' THEN 0.06 WHEN 'FEE' THEN 0.09 WHEN 'PAID' THEN 0.04
                            WHEN 'CUL' THEN 0.02 WHEN 'CS' THEN -0.03 WHEN 'CLN' THEN -0.01 ELSE 0 END
           + ((hash(r.project_id, i.item_key, $seed) % 1000) / 1000.0 - 0.5) * 0.10 AS d,
           (hash(r.unit_id, $wave_id, i.item_key, $seed, 'u') % 10000) / 10000.0 AS u,
           (hash(r.unit_id, $wave_id, i.item_key, $seed, 'v') % 10000) / 10000.0 AS v
    FROM r JOIN survey_waves w ON w.id = $wave_id
    JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id
), p AS (
    SELECT *, CASE WHEN unhappy THEN greatest(0.05, 0.30 + d * 2)
                   ELSE greatest(0.0005, 0.004 + d * 0.08) END AS p1,
              CASE WHEN unhappy THEN 0.25 ELSE 0.10 END AS p2
    FROM x
)
SELECT id, item_key,
       CASE WHEN u < 0.04 THEN NULL
            WHEN v < p1 THEN 1
            WHEN v < p1 + p2 THEN 2
            WHEN v < p1 + p2 + 0.40 THEN 3
            ELSE 4 END::TINYINT
FROM p
