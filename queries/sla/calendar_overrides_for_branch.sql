-- Returns: holiday / working-day overrides that apply to a branch. Params: $branch_id
SELECT day, kind FROM calendar_overrides WHERE branch_id IS NULL OR branch_id = $branch_id
