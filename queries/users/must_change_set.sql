-- Sets or clears the flag that makes a user change the password before any page (production
-- mode). Params: $username, $must_change
UPDATE users SET must_change_password = $must_change WHERE username = $username
