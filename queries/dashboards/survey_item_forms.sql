-- Returns: the forms behind one survey item's figure on the comparison: returned forms of wave
-- $wave_id within the scope with their rating of item $item_key — only 不满意 ones when
-- $unsatisfied_only, else every form that rated it (不满意 first) — newest first, at most $limit.
-- No resident's name, phone, unit or comment (group-scope safe).
-- Params: $scope_kind, $scope_id, $wave_id, $item_key, $unsatisfied_only, $limit
SELECT r.id, r.form_no, p.name AS project, b.name AS branch, r.source, r.returned_on, a.rating,
       wt.name AS rating_name, wt.name_en AS rating_name_en, r.n_rated, r.n_unsatisfied, r.score
FROM survey_answers a
JOIN survey_responses r ON r.id = a.response_id
JOIN projects p ON p.id = r.project_id
JOIN branches b ON b.id = r.branch_id
JOIN survey_weights wt ON wt.rating = a.rating
WHERE r.wave_id = $wave_id AND a.item_key = $item_key AND a.rating IS NOT NULL
  AND in_scope($scope_kind, $scope_id, r.project_id, r.branch_id)
  AND (NOT $unsatisfied_only OR survey_unsatisfied(a.rating))
ORDER BY survey_unsatisfied(a.rating) DESC, r.returned_on DESC, r.id DESC
LIMIT $limit
