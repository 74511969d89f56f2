-- Loads demo branches from the staged frame staged(code, name). Params: none
INSERT INTO branches (code, name) SELECT code, name FROM staged ORDER BY code
