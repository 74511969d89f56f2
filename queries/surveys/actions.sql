-- Returns: corrective actions within the scope (optionally of one wave / status), overdue flagged
-- (macro survey_action_overdue), with the satisfaction rate of their item or dimension in their
-- project in the action's wave and in the next wave of that project (did it improve?), from
-- survey_item_counts.
-- Params: $scope_kind, $scope_id, $wave_id, $status, $today
WITH acts AS (
    SELECT a.*, w.code AS wave_code, w.name AS wave, w.starts_on,
           (SELECT w2.id FROM survey_waves w2 JOIN survey_wave_projects wp2
                ON wp2.wave_id = w2.id AND wp2.project_id = a.project_id
            WHERE w2.status <> 'draft' AND w2.starts_on > w.starts_on
            ORDER BY w2.starts_on, w2.id LIMIT 1) AS next_wave_id
    FROM survey_actions a JOIN survey_waves w ON w.id = a.wave_id
    WHERE in_scope($scope_kind, $scope_id, a.project_id, a.branch_id)
      AND ($wave_id IS NULL OR a.wave_id = $wave_id)
      AND ($status IS NULL OR a.status = $status)
), rates AS (
    SELECT acts.id AS action_id, c.wave_id,
           survey_counts_rate(sum(c.n4), sum(c.n3), sum(c.n2), sum(c.n1)) AS rate
    FROM acts
    JOIN survey_item_counts c ON c.project_id = acts.project_id
         AND c.wave_id IN (acts.wave_id, acts.next_wave_id)
    JOIN survey_waves w ON w.id = c.wave_id
    JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id AND i.item_key = c.item_key
    WHERE (acts.item_key IS NOT NULL AND c.item_key = acts.item_key)
       OR (acts.item_key IS NULL AND i.dimension = acts.dimension)
    GROUP BY acts.id, c.wave_id
)
SELECT acts.id, acts.wave_id, acts.wave_code, acts.wave, acts.project_id, p.name AS project,
       b.name AS branch, acts.item_key, acts.dimension,
       coalesce(it.text_zh, d.name) AS subject, coalesce(it.text_en, d.name_en) AS subject_en,
       acts.problem, acts.measure, acts.owner, acts.deadline, acts.result, acts.status,
       acts.done_on, acts.created_by, acts.created_at, acts.version,
       survey_action_overdue(acts.status, acts.deadline, $today) AS overdue,
       before.rate AS rate_before, acts.next_wave_id, after.rate AS rate_after
FROM acts
JOIN projects p ON p.id = acts.project_id
JOIN branches b ON b.id = acts.branch_id
JOIN survey_waves w ON w.id = acts.wave_id
LEFT JOIN survey_items it ON it.questionnaire_id = w.questionnaire_id AND it.item_key = acts.item_key
LEFT JOIN survey_dimensions d ON d.code = coalesce(acts.dimension, it.dimension)
LEFT JOIN rates before ON before.action_id = acts.id AND before.wave_id = acts.wave_id
LEFT JOIN rates after ON after.action_id = acts.id AND after.wave_id = acts.next_wave_id
ORDER BY overdue DESC, acts.status = 'open' DESC, acts.deadline, acts.id
