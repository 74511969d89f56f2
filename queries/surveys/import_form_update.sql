-- Sets the fields of a form a corrected import file changed (or an undo puts back).
-- Params: $id, $respondent_name, $respondent_phone, $returned_on, $comments
UPDATE survey_responses SET respondent_name = $respondent_name, respondent_phone = $respondent_phone,
    returned_on = CAST($returned_on AS DATE), comments = $comments
WHERE id = $id
