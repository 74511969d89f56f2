-- Writes the revisit record of every done demo task, and failed attempts of open ones. Params: none
INSERT INTO revisit_records (task_id, attempt_at, by_user, method, reached, fail_reason, person_reached,
    relation, satisfaction, attitude, efficiency, effect, comments, reopened_complaint_id)
SELECT t.id, t.done_at, 'clerk1', CASE WHEN t.id % 9 = 0 THEN 'visit' ELSE 'phone' END, TRUE, NULL,
       t.contact_name, 'owner', t.satisfaction,
       CASE WHEN t.kind = 'repair' THEN t.satisfaction END, CASE WHEN t.kind = 'repair' THEN t.satisfaction END,
       CASE WHEN t.kind = 'repair' THEN t.satisfaction END,
       CASE t.satisfaction WHEN 'unsatisfied' THEN '问题没有解决，仍然存在' WHEN 'neutral' THEN '处理速度一般'
            ELSE '处理及时，态度很好' END,
       CASE WHEN t.satisfaction = 'unsatisfied' AND t.kind = 'complaint' THEN t.complaint_id END
FROM revisit_tasks t WHERE t.status = 'done'
UNION ALL
SELECT t.id, t.event_at + to_hours(CAST(20 + k.k * 5 AS BIGINT)), 'clerk1', 'phone', FALSE,
       CASE WHEN k.k = 1 THEN 'wrong_number' ELSE 'no_answer' END, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM revisit_tasks t, range(1, 4) k(k) WHERE t.status = 'open' AND k.k <= t.failed_attempts
