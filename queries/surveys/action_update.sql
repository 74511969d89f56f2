-- Updates a corrective action if still at the version read; returns its id.
-- Params: $id, $expected_version, $measure, $owner, $deadline, $result, $status, $done_on
UPDATE survey_actions SET measure = $measure, owner = $owner, deadline = $deadline,
    result = $result, status = $status, done_on = $done_on, version = version + 1
WHERE id = $id AND version = $expected_version
RETURNING id
