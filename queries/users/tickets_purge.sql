-- Forgets cookie tickets that expired without being taken (a browser closed before its page sent
-- the ticket). Run by every login (csm.org.sessions). Params: $now
DELETE FROM login_tickets WHERE expires_at < $now
