-- Demo data: the survey revisit of each form of a wave with an unsatisfied item or a score under
-- $threshold, due 7 calendar days after entry (the app itself uses the working calendar); those
-- due before $today are done. Params: $wave_id, $threshold, $today, $seed
INSERT INTO revisit_tasks (kind, project_id, branch_id, unit_id, unit_text, survey_response_id, note,
    event_at, due_at, status, done_at, satisfaction)
SELECT 'survey', r.project_id, r.branch_id, r.unit_id, r.unit_text, r.id,
       '不满意项 ' || r.n_unsatisfied || ' 个；得分 ' || round(r.score)::INTEGER,
       r.entered_at, r.entered_at + INTERVAL 7 DAY,
       CASE WHEN r.entered_at + INTERVAL 7 DAY < $today THEN 'done' ELSE 'open' END,
       CASE WHEN r.entered_at + INTERVAL 7 DAY < $today
            THEN r.entered_at + to_days((hash(r.unit_id, r.wave_id, $seed) % 9)::INTEGER) END,
       CASE WHEN r.entered_at + INTERVAL 7 DAY < $today
            THEN CASE WHEN hash(r.unit_id, r.wave_id, $seed, 's') % 10 < 7 THEN 'satisfied'
                      WHEN hash(r.unit_id, r.wave_id, $seed, 's') % 10 < 9 THEN 'neutral' ELSE 'unsatisfied' END END
FROM survey_responses r
WHERE r.wave_id = $wave_id AND (r.n_unsatisfied > 0 OR r.score < $threshold)
