-- Returns: the number of revisit tasks of a project. Params: $project_id
SELECT count(*) AS n FROM revisit_tasks WHERE project_id = $project_id
