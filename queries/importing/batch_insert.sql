-- Records one applied import and returns its id.
-- Params: $target, $file_name, $fingerprint, $mapping_name, $mapping, $project_id, $added,
--         $updated, $same, $user_id, $username, $at
INSERT INTO import_batches (target, file_name, fingerprint, mapping_name, mapping, project_id,
                            added, updated, same, user_id, username, created_at)
VALUES ($target, $file_name, $fingerprint, $mapping_name, $mapping, $project_id,
        $added, $updated, $same, $user_id, $username, $at)
RETURNING id
