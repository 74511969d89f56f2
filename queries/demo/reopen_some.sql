-- Marks every seventh demo complaint in progress as reopened after an unsatisfied revisit.
-- Params: none
UPDATE complaints SET reopen_count = 1
WHERE status = 'in_progress' AND id % 7 = 0 AND first_response_at IS NOT NULL
