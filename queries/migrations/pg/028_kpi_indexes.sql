-- PostgreSQL only, after queries/migrations/028_pg_summaries.sql (docs/storage.md slice 8): the
-- ranges the dashboard's complaint indicators count (dashboards/complaint_kpis.pg.sql, three calls
-- per dashboard: the period, the one before, a year ago), each by an index instead of a scan of
-- every complaint: first answers and resolutions in the period, the open complaints (overdue now;
-- partial: only the open ones are in it), and the reopen steps of the history (partial: a few
-- rows among 5.5 M).
CREATE INDEX complaints_first_answered ON complaints ((coalesce(first_response_at, resolved_at, closed_at)));
CREATE INDEX complaints_resolved ON complaints (resolved_at);
CREATE INDEX complaints_open_due ON complaints (resolve_due_at)
    WHERE status IN ('received', 'judged', 'dispatched', 'in_progress', 'suspended') AND import_batch_id IS NULL;
CREATE INDEX complaint_history_reopened ON complaint_history (at_time)
    WHERE action = 'reopen' AND field = 'status';
-- The head office's inbox count (complaints/inbox_count.pg.sql, on every rerun a minute apart):
-- each unread notice's complaint and its project from the index alone (an index-only join).
CREATE INDEX complaints_id_project ON complaints (id) INCLUDE (project_id);
