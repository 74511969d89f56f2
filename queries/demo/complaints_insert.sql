-- Inserts demo_c into complaints with codes per year, due times from sla_settings, the step
-- timestamps, owner levels (as csm.complaints.owner_level_for) and names from the unit's resident.
-- Params: $anchor
INSERT INTO complaints (code, project_id, branch_id, building_id, building_text, unit_id, unit_text,
    resident_id, complainant_name, complainant_phone, relation, channel_id, received_at, received_by,
    category_id, description, urgency, status, resume_status, validity, validity_basis, grade, owner_level,
    judged_at, judged_by, department_id, assignee_id, dispatched_at, forward_due_at, first_response_due_at,
    resolve_due_at, first_response_at, suspended_at, suspend_reason, resolved_at, resolved_by, result,
    closed_at, closed_by, close_satisfied, confirmed_by, close_explanation)
WITH res AS (
    SELECT unit_id, id, name, phone, relation,
           row_number() OVER (PARTITION BY unit_id ORDER BY moved_in_on DESC, id DESC) AS k
    FROM residents
), tpl AS (
    SELECT * FROM (VALUES
        ('ENG', '家里{u}的灯不亮了，开关也没反应，麻烦派人来看看。'),
        ('ENG', '{u}卫生间下水很慢，楼上好像也在漏水，天花板有水渍。'),
        ('ENG', '{u}厨房水龙头一直滴水，关不紧，已经报修两次了还没修好！'),
        ('ENG', '入户配电箱跳闸，{u}全屋停电，家里有老人，请尽快处理。'),
        ('ENG', '{u}暖气片不热，室内温度只有16度，要求尽快维修。'),
        ('PUB', '{u}所在单元电梯经常停运，楼道灯坏了一个多月没人修。'),
        ('PUB', '地下车库积水，{u}业主的车位被淹，要求说明原因。'),
        ('LND', '小区绿化带很久没修剪，{u}楼下杂草丛生有蚊虫。'),
        ('EST', '{u}楼下外墙瓷砖脱落，存在安全隐患。'),
        ('MUN', '小区门口路灯不亮，{u}业主晚上回家不安全。'),
        ('PLN', '{u}户型与合同图纸不符，阳台面积偏小，要求给个说法。'),
        ('SVC', '{u}业主反映前台客服态度差，电话打了三次都没人回复。'),
        ('SVC', '保洁不及时，{u}所在楼层垃圾两天没清运，气味很大。'),
        ('SVC', '夜间有外来人员随意进出，{u}业主担心安全，要求加强门岗管理。'),
        ('SVC', '物业费账单与实际面积不符，{u}业主要求核对并退还多收费用。'),
        ('SVC', '有偿维修收费过高，{u}换个阀门收了200元，要求解释收费标准。')
    ) AS x(prefix, text)
), tpl_n AS (
    SELECT prefix, text, row_number() OVER (PARTITION BY prefix ORDER BY text) - 1 AS k,
           count(*) OVER (PARTITION BY prefix) AS n FROM tpl
), x AS (
    SELECT d.*, ch.id AS channel_id, ch.origin,
           coalesce(s.forward_minutes, 10) AS fwd_m, coalesce(s.first_response_hours, 24) AS first_h,
           coalesce(s.resolve_hours, CASE WHEN d.urgency = 'urgent' THEN 48 ELSE 168 END) AS resolve_h,
           res.id AS resident_id,
           coalesce(res.name, substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', CAST(d.h9 % 20 AS INTEGER) + 1, 1)
                    || substr('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞', CAST(d.h9 % 19 AS INTEGER) + 1, 1)) AS cname,
           coalesce(res.phone, '13' || lpad(CAST(d.h9 % 1000000000 AS VARCHAR), 9, '0')) AS cphone,
           coalesce(res.relation, 'owner') AS relation,
           replace(tp.text, '{u}', d.unit_code) AS description,
           (SELECT min(u.id) FROM users u WHERE u.role = 'supervisor' AND u.scope_kind = 'project'
                                            AND u.scope_id = d.project_id) AS supervisor_id
    FROM demo_c d
    JOIN channels ch ON ch.code = d.channel_code
    LEFT JOIN sla_settings s ON s.grade = coalesce(d.grade, 'general') AND s.urgency = d.urgency
    LEFT JOIN res ON res.unit_id = d.unit_id AND res.k = 1
    JOIN tpl_n tp ON tp.prefix = split_part(d.category_code, '-', 1) AND tp.k = d.h9 % tp.n
), t AS (
    SELECT x.*,
        CASE WHEN status <> 'received' THEN received_at + to_minutes(CAST(15 + h9 % 180 AS BIGINT)) END AS judged_at2,
        CASE WHEN status NOT IN ('received', 'judged') AND NOT (status = 'closed' AND validity = 'invalid')
             THEN received_at + to_minutes(CAST(40 + h9 % 240 AS BIGINT)) END AS dispatched_at2,
        CASE WHEN status NOT IN ('received', 'judged', 'dispatched')
             THEN least(received_at + to_minutes(CAST(60 + h9 % (first_h * 75) AS BIGINT)),
                        CAST($anchor AS TIMESTAMPTZ) - INTERVAL 5 MINUTE) END AS first_at,
        CASE WHEN status IN ('resolved', 'revisited') OR (status = 'closed' AND validity <> 'invalid')
             THEN least(received_at + to_minutes(CAST(120 + h2 % (resolve_h * 69) AS BIGINT)),
                        CAST($anchor AS TIMESTAMPTZ) - INTERVAL 2 HOUR) END AS resolved_at2
    FROM x
)
SELECT 'TS-' || year(received_at) || '-' ||
       lpad(CAST(row_number() OVER (PARTITION BY year(received_at) ORDER BY received_at, i) AS VARCHAR), 6, '0'),
    project_id, branch_id, building_id, building, unit_id, unit_code, resident_id, cname, cphone, relation,
    channel_id, received_at, 'clerk1', category_id, description, urgency, status,
    CASE WHEN status = 'suspended' THEN 'in_progress' END,
    validity, CASE WHEN validity IS NOT NULL THEN
        CASE validity WHEN 'valid' THEN '属物业服务范围，服务未达承诺' WHEN 'coordination' THEN '非物业责任，协助业主协调相关单位'
                      ELSE '超出保修期/合同范围，已向业主解释' END END,
    grade,
    CASE WHEN origin IN ('company', 'superior', 'government') THEN 'quality_department'
         WHEN grade = 'major' THEN 'general_manager' WHEN grade = 'important' THEN 'branch_manager'
         ELSE 'project' END,
    judged_at2, CASE WHEN judged_at2 IS NOT NULL THEN 'supervisor1' END, default_department_id,
    CASE WHEN status IN ('dispatched', 'in_progress', 'suspended') AND i % 4 = 0 THEN supervisor_id END, dispatched_at2,
    received_at + to_minutes(fwd_m), received_at + to_hours(first_h), received_at + to_hours(resolve_h),
    coalesce(first_at, resolved_at2), CASE WHEN status = 'suspended' THEN coalesce(first_at, received_at) + INTERVAL 1 HOUR END,
    CASE WHEN status = 'suspended' THEN '等待业主方便时间/等待配件到货' END,
    resolved_at2, CASE WHEN resolved_at2 IS NOT NULL THEN 'supervisor1' END,
    CASE WHEN resolved_at2 IS NOT NULL THEN '已派专人处理完毕，现场复核合格，已告知业主' END,
    CASE WHEN status = 'closed' THEN least(coalesce(resolved_at2, judged_at2) + to_hours(CAST(24 + h9 % 72 AS BIGINT)),
                                            CAST($anchor AS TIMESTAMPTZ) - INTERVAL 1 HOUR) END,
    CASE WHEN status = 'closed' THEN 'supervisor1' END,
    CASE WHEN status = 'closed' THEN validity <> 'invalid' END,
    CASE WHEN status = 'closed' AND validity <> 'invalid' THEN cname END,
    CASE WHEN status = 'closed' AND validity = 'invalid' THEN '已向业主解释保修及合同条款，业主表示理解' END
FROM t
ORDER BY received_at, i
