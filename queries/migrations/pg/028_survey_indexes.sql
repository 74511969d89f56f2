-- PostgreSQL only, after queries/migrations/028_pg_summaries.sql (docs/storage.md slice 8): the
-- survey forms of a wave newest first, per scope (surveys/responses.pg.sql: the page of forms read
-- from the index), and counted per wave in a scope (surveys/waves.pg.sql); a form's follow-up
-- revisit task.
CREATE INDEX survey_responses_wave_entered ON survey_responses (wave_id, entered_at, id);
CREATE INDEX survey_responses_branch_wave ON survey_responses (branch_id, wave_id, entered_at, id);
CREATE INDEX survey_responses_project_wave ON survey_responses (project_id, wave_id, entered_at, id);
CREATE INDEX revisit_tasks_survey_response ON revisit_tasks (survey_response_id);
