-- Returns: the id of the category with this code, ignoring case (codes are unique ignoring case;
-- inside a save it sees the categories the save inserted). Params: $code
SELECT id FROM categories WHERE lower(code) = lower($code)
