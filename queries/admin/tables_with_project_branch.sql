-- Returns: the tables that copy a project's branch next to its project_id (for scoped reads),
-- which must follow a project moved to another branch. Params: none
SELECT c.table_name
FROM information_schema.columns c
JOIN information_schema.columns b
  ON b.table_schema = c.table_schema AND b.table_name = c.table_name AND b.column_name = 'branch_id'
JOIN information_schema.tables tb
  ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
WHERE c.column_name = 'project_id' AND c.table_schema = current_schema()
ORDER BY c.table_name
