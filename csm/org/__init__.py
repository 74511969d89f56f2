"""The organisation: users and their accounts (users.py: login, lock, passwords), scopes
(scope.py: group / branch / project and the SQL parameters that enforce them), and what the
screens read of it (reads.py: projects, units, residents within the actor's scope) and change
(commands.py: the actor's own language and password). The layer below the other capabilities:
they may import csm.org; csm.org imports none of them. The audit log stays in csm/audit.py."""
