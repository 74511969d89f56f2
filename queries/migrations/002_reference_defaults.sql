-- Default reference data from DOMAIN.md: departments, the two-level category tree (seed 004),
-- channels, and time limits (seed 004: forward 10 min, first response 24 h;
-- seed 002 5.2.3: urgent 2 days, normal 7 days).

INSERT INTO departments (code, name, name_en, level) VALUES
    ('CS',   '客服中心',       'Customer service centre', 'project'),
    ('ENG',  '工程部',         'Engineering',             'project'),
    ('SEC',  '秩序维护部',     'Security and order',      'project'),
    ('CLN',  '保洁部',         'Cleaning',                'project'),
    ('LND',  '绿化部',         'Landscaping',             'project'),
    ('FIN',  '财务部',         'Finance and fees',        'project'),
    ('QA',   '品质部',         'Quality department',      'company'),
    ('GM',   '总经理办公室',   'General manager''s office', 'company');

INSERT INTO categories (code, parent_id, name, name_en, sort) VALUES
    ('ENG',  NULL, '工程',     'Engineering',            10),
    ('PUB',  NULL, '公共部位', 'Public areas',           20),
    ('LND',  NULL, '绿化',     'Landscaping',            30),
    ('EST',  NULL, '园区建设', 'Estate construction',    40),
    ('MUN',  NULL, '市政配套设施', 'Municipal facilities', 50),
    ('PLN',  NULL, '规划设计', 'Planning and design',    60),
    ('SVC',  NULL, '服务',     'Service',                70),
    ('OTH',  NULL, '其他',     'Other',                  80);

INSERT INTO categories (code, parent_id, name, name_en, sort)
SELECT c.code, p.id, c.name, c.name_en, c.sort
FROM (VALUES
    ('ENG-LIGHT', 'ENG', '灯具',               'Lighting',                         11),
    ('ENG-DIST',  'ENG', '用户配电箱',         'Distribution box',                 12),
    ('ENG-WATER', 'ENG', '给水管',             'Water supply',                     13),
    ('ENG-DRAIN', 'ENG', '排污排水管',         'Drainage',                         14),
    ('ENG-SANIT', 'ENG', '卫生洁具',           'Sanitary ware',                    15),
    ('ENG-VALVE', 'ENG', '龙头阀门等五金件',   'Taps, valves and hardware',        16),
    ('ENG-HVAC',  'ENG', '空调/采暖/通风及室内环境', 'Air-conditioning, heating, ventilation', 17),
    ('ENG-GAS',   'ENG', '燃气设施',           'Gas',                              18),
    ('PUB-GEN',   'PUB', '公共部位',           'Public areas',                     21),
    ('LND-GEN',   'LND', '绿化',               'Landscaping',                      31),
    ('EST-GEN',   'EST', '园区建设',           'Estate construction',              41),
    ('MUN-GEN',   'MUN', '市政配套设施',       'Municipal facilities',             51),
    ('PLN-OVR',   'PLN', '总体规划',           'Overall planning',                 61),
    ('PLN-UNIT',  'PLN', '户型设计',           'Unit design',                      62),
    ('SVC-ATT',   'SVC', '服务态度',           'Attitude',                         71),
    ('SVC-EFF',   'SVC', '服务效率',           'Efficiency',                       72),
    ('SVC-CLN',   'SVC', '清洁卫生',           'Cleaning',                         73),
    ('SVC-SEC',   'SVC', '安全秩序',           'Security and order',               74),
    ('SVC-FEE',   'SVC', '收费',               'Fees',                             75),
    ('SVC-PAID',  'SVC', '有偿服务',           'Paid services',                    76),
    ('OTH-GEN',   'OTH', '其他',               'Other',                            81)
) AS c(code, parent_code, name, name_en, sort)
JOIN categories p ON p.code = c.parent_code;

UPDATE categories SET default_department_id = d.id
FROM departments d
WHERE d.code = CASE
    WHEN categories.code LIKE 'ENG-%' OR categories.code IN ('PUB-GEN', 'MUN-GEN') THEN 'ENG'
    WHEN categories.code IN ('LND-GEN') THEN 'LND'
    WHEN categories.code IN ('SVC-CLN') THEN 'CLN'
    WHEN categories.code IN ('SVC-SEC') THEN 'SEC'
    WHEN categories.code IN ('SVC-FEE') THEN 'FIN'
    WHEN categories.code IN ('EST-GEN', 'PLN-OVR', 'PLN-UNIT') THEN 'QA'
    ELSE 'CS' END
  AND categories.parent_id IS NOT NULL;

INSERT INTO channels (code, name, name_en, origin) VALUES
    ('PHONE',   '电话',           'Phone',                 'resident'),
    ('VISIT',   '来访',           'Visit',                 'resident'),
    ('LETTER',  '信函',           'Letter',                'resident'),
    ('HOTLINE', '24小时投诉电话', '24-hour hotline',       'resident'),
    ('MAILBOX', '投诉信箱',       'Complaint mailbox',     'resident'),
    ('ONLINE',  '网上/微信',      'Online / WeChat',       'resident'),
    ('SURVEY',  '满意度调查',     'Survey follow-up',      'resident'),
    ('COMPANY', '公司转办',       'Forwarded by the company', 'company'),
    ('SUPERIOR','上级公司转办',   'Forwarded by a superior company', 'superior'),
    ('GOV',     '政府部门/12345', 'Government office / 12345', 'government');

INSERT INTO sla_settings VALUES
    ('general',   'normal', 10, 24, 168),
    ('general',   'urgent', 10, 24, 48),
    ('important', 'normal', 10, 24, 168),
    ('important', 'urgent', 10, 24, 48),
    ('major',     'normal', 10, 24, 168),
    ('major',     'urgent', 10, 24, 48);
