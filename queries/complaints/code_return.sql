-- Hands a complaint number back (its filing failed after the number was allocated): the next
-- filing of the year takes it (complaints/code_reuse). Params: $year, $no
INSERT INTO complaint_code_returns VALUES ($year, $no)
