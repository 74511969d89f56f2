-- Returns: whether any complaint number is waiting to be used again (complaint_code_returns;
-- filled by complaints/code_gaps_return when the database opens). Params: none
SELECT count(*) > 0 FROM complaint_code_returns
