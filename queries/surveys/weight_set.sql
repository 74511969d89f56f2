-- Sets the 100-point weight of one rating. Params: $rating, $weight
UPDATE survey_weights SET weight = $weight WHERE rating = $rating RETURNING rating
