"""Operations while the app serves (docs/operations.md): the online backup and the verified
restore (backup.py), the control channel by which a command asks the serving process
(control.py), and the serving process's background work: the escalation timer and the channel's
listener (service.py). An operator's tools, outside the role table (like the resident link):
whoever can write the database's folder is the operator."""
