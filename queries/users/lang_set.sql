-- Stores a user's UI language. Params: $username, $lang
UPDATE users SET lang = $lang WHERE username = $username
