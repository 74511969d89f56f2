-- Returns: holiday / working-day overrides that apply to some branches (branch_id NULL: to all).
-- Params: $branch_ids
SELECT branch_id, day, kind FROM calendar_overrides WHERE branch_id IS NULL OR branch_id = ANY($branch_ids)
