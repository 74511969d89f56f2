-- Returns: every holiday / make-up working day override; branch 0 = all branches.
-- Params: none
SELECT id, coalesce(branch_id, 0) AS branch_id, day, kind, note
FROM calendar_overrides
ORDER BY day DESC, branch_id NULLS FIRST, id
