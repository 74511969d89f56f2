-- Inserts a corrective action and returns its id. Params: $wave_id, $project_id, $branch_id,
-- $item_key, $dimension, $problem, $measure, $owner, $deadline, $created_by
INSERT INTO survey_actions (wave_id, project_id, branch_id, item_key, dimension, problem, measure,
    owner, deadline, created_by)
VALUES ($wave_id, $project_id, $branch_id, $item_key, $dimension, $problem, $measure, $owner,
    $deadline, $created_by)
RETURNING id
