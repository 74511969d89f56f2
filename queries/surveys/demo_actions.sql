-- Demo data: a corrective action on each project's most-criticised item of a wave (at least
-- $min_unsatisfied answers 不满意); done with a result when $done, else open with a deadline
-- 60 days after the wave (some now overdue). Params: $wave_id, $done, $seed, $min_unsatisfied
INSERT INTO survey_actions (wave_id, project_id, branch_id, item_key, problem, measure, owner,
    deadline, result, status, done_on, created_by, created_at)
WITH per AS (
    SELECT r.project_id, r.branch_id, a.item_key, count(*) AS n,
           row_number() OVER (PARTITION BY r.project_id ORDER BY count(*) DESC, a.item_key) AS k
    FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
    WHERE r.wave_id = $wave_id AND survey_unsatisfied(a.rating)
    GROUP BY r.project_id, r.branch_id, a.item_key
)
SELECT $wave_id, per.project_id, per.branch_id, per.item_key,
       '“' || i.text_zh || '”不满意 ' || per.n || ' 户',
       CASE i.dimension WHEN 'ENG' THEN '制定维修计划，缩短响应时间，完成后逐户回访'
                        WHEN 'FEE' THEN '公示收费标准及支出明细，召开业主沟通会'
                        WHEN 'CLN' THEN '增加保洁频次，主管每日巡查'
                        WHEN 'SEC' THEN '加强巡逻和门岗培训，规范车辆停放'
                        WHEN 'LND' THEN '补种修剪，落实养护计划'
                        ELSE '专题培训，每周检查落实情况' END,
       CASE i.dimension WHEN 'ENG' THEN '工程部主管' WHEN 'FEE' THEN '财务主管' WHEN 'CLN' THEN '保洁主管'
                        WHEN 'SEC' THEN '秩序维护主管' WHEN 'LND' THEN '绿化主管' ELSE '客服主管' END,
       w.ends_on + 60,
       CASE WHEN $done OR hash(per.project_id, $seed) % 3 = 0 THEN '已落实，结果已在小区公告栏公示' END,
       CASE WHEN $done OR hash(per.project_id, $seed) % 3 = 0 THEN 'done' ELSE 'open' END,
       CASE WHEN $done OR hash(per.project_id, $seed) % 3 = 0 THEN w.ends_on + 45 END,
       'demo', w.ends_on::TIMESTAMP + INTERVAL 3 DAY
FROM per
JOIN survey_waves w ON w.id = $wave_id
JOIN survey_items i ON i.questionnaire_id = w.questionnaire_id AND i.item_key = per.item_key
WHERE per.k = 1 AND per.n >= $min_unsatisfied
