-- PostgreSQL only, after queries/migrations/028_pg_summaries.sql (docs/storage.md slice 8): the
-- revisit queue's open tasks earliest due first (revisits/tasks.pg.sql), for the group, a branch
-- and a project; partial, so a done task (1.39 M of 1.46 M) is in none of them.
CREATE INDEX revisit_tasks_open_due ON revisit_tasks (due_at, id) WHERE status = 'open';
CREATE INDEX revisit_tasks_open_branch_due ON revisit_tasks (branch_id, due_at, id) WHERE status = 'open';
CREATE INDEX revisit_tasks_open_project_due ON revisit_tasks (project_id, due_at, id) WHERE status = 'open';
