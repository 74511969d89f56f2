-- Satisfaction surveys (满意度调查, DOMAIN.md §4; seeds 000, 002 4.1, 003): questionnaire versions
-- with items keyed stably across versions, waves (调查活动) and the forms issued per project,
-- returned forms and their answers, self-service tokens, the 100-point weights, and corrective
-- actions (整改). The satisfaction formula (seed 002 4.1.5.2) is the macro survey_satisfaction.

-- Service dimensions the items are grouped by (configurable).
CREATE TABLE survey_dimensions (
    code    VARCHAR PRIMARY KEY,
    name    VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    sort    INTEGER NOT NULL
);
INSERT INTO survey_dimensions VALUES
    ('CS',   '客户服务', 'Customer service',      10),
    ('ENG',  '工程维修', 'Engineering & repairs', 20),
    ('SEC',  '秩序维护', 'Security & order',      30),
    ('CLN',  '环境保洁', 'Cleaning',              40),
    ('LND',  '绿化',     'Landscaping',           50),
    ('FEE',  '收费',     'Fees',                  60),
    ('PAID', '有偿服务', 'Paid services',         70),
    ('CUL',  '社区文化', 'Community life',        80),
    ('OVR',  '总体评价', 'Overall',               90);

CREATE SEQUENCE seq_questionnaire START 1;
CREATE TABLE survey_questionnaires (
    id         INTEGER PRIMARY KEY DEFAULT nextval('seq_questionnaire'),
    code       VARCHAR NOT NULL,           -- the questionnaire family, e.g. STD
    version    INTEGER NOT NULL,           -- 1, 2, ... a wave uses one version
    name       VARCHAR NOT NULL,
    name_en    VARCHAR NOT NULL,
    status     VARCHAR NOT NULL DEFAULT 'active',   -- active | retired
    created_by VARCHAR,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (code, version)
);

-- item_key is stable across versions: trends compare the same item in different versions.
CREATE TABLE survey_items (
    questionnaire_id INTEGER NOT NULL,
    item_key         VARCHAR NOT NULL,
    dimension        VARCHAR NOT NULL,
    text_zh          VARCHAR NOT NULL,
    text_en          VARCHAR NOT NULL,
    sort             INTEGER NOT NULL,
    PRIMARY KEY (questionnaire_id, item_key)
);

INSERT INTO survey_questionnaires (code, version, name, name_en, created_by)
VALUES ('STD', 1, '物业服务满意度调查表', 'Property service satisfaction questionnaire', 'system');

INSERT INTO survey_items (questionnaire_id, item_key, dimension, text_zh, text_en, sort)
SELECT q.id, i.item_key, i.dimension, i.text_zh, i.text_en, i.sort
FROM survey_questionnaires q, (VALUES
    ('cs_attitude',      'CS',   '客服人员服务态度',                 'Attitude of customer-service staff',           1),
    ('cs_response',      'CS',   '报事报修受理及响应及时性',         'Taking requests and responding on time',       2),
    ('cs_complaint',     'CS',   '投诉处理及结果反馈',               'Handling of complaints and feedback',          3),
    ('cs_notice',        'CS',   '社区公告及信息公开',               'Notices and information to residents',         4),
    ('cs_reception',     'CS',   '前台接待及办事效率',               'Front desk and efficiency',                    5),
    ('eng_speed',        'ENG',  '维修及时性',                       'Repairs done on time',                         6),
    ('eng_quality',      'ENG',  '维修质量',                         'Quality of repairs',                           7),
    ('eng_attitude',     'ENG',  '维修人员服务态度',                 'Attitude of repair staff',                     8),
    ('eng_elevator',     'ENG',  '电梯运行及维护保养',               'Lifts: operation and maintenance',             9),
    ('eng_facilities',   'ENG',  '公共设施设备维护（照明、门禁、水泵等）', 'Shared equipment (lighting, access control, pumps)', 10),
    ('sec_patrol',       'SEC',  '治安巡逻及安全防范',               'Patrols and security',                         11),
    ('sec_gate',         'SEC',  '门岗出入管理及访客登记',           'Gate control and visitor registration',        12),
    ('sec_parking',      'SEC',  '车辆停放及交通秩序',               'Parking and traffic order',                    13),
    ('sec_fire',         'SEC',  '消防安全管理',                     'Fire safety',                                  14),
    ('sec_manner',       'SEC',  '秩序维护员仪容仪表及礼节',         'Appearance and manners of security staff',     15),
    ('cln_public',       'CLN',  '楼道、大堂等公共区域清洁',         'Cleaning of stairs, lobbies and shared areas', 16),
    ('cln_garbage',      'CLN',  '垃圾收集清运及分类',               'Refuse collection and sorting',                17),
    ('cln_outdoor',      'CLN',  '道路及室外场地清洁',               'Cleaning of roads and outdoor areas',          18),
    ('cln_pest',         'CLN',  '消杀及四害防治',                   'Pest control',                                 19),
    ('lnd_care',         'LND',  '绿化养护（修剪、浇水、施肥）',     'Care of greenery (pruning, watering, feeding)', 20),
    ('lnd_landscape',    'LND',  '绿化景观整体效果',                 'Overall look of the landscaping',              21),
    ('lnd_water',        'LND',  '水景及景观设施维护',               'Water features and garden facilities',         22),
    ('fee_open',         'FEE',  '收费标准公开透明',                 'Fees published and transparent',               23),
    ('fee_value',        'FEE',  '服务质价相符',                     'Service worth the fee',                        24),
    ('fee_convenient',   'FEE',  '缴费方式便捷',                     'Convenient ways to pay',                       25),
    ('paid_price',       'PAID', '有偿服务价格合理',                 'Fair prices of paid services',                 26),
    ('paid_quality',     'PAID', '有偿服务质量',                     'Quality of paid services',                     27),
    ('cul_activities',   'CUL',  '社区文化活动',                     'Community activities',                         28),
    ('cul_atmosphere',   'CUL',  '邻里关系及社区氛围',               'Neighbourhood atmosphere',                     29),
    ('ovr_overall',      'OVR',  '对物业服务的总体评价',             'Overall opinion of the property service',      30)
) AS i(item_key, dimension, text_zh, text_en, sort)
WHERE q.code = 'STD' AND q.version = 1;

-- The four ratings (seed 002 4.1.3 B) and their weights in the 100-point score (seed 002 5.4.3).
-- 4 很满意, 3 满意, 2 较满意 are "qualified" (合格项); 1 不满意; an unrated answer is NULL (未表态).
CREATE TABLE survey_weights (
    rating  TINYINT PRIMARY KEY,
    name    VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    weight  DOUBLE NOT NULL
);
INSERT INTO survey_weights VALUES
    (4, '很满意', 'Very satisfied',   100),
    (3, '满意',   'Satisfied',        80),
    (2, '较满意', 'Fairly satisfied', 60),
    (1, '不满意', 'Unsatisfied',      0);

INSERT INTO settings VALUES
    ('survey.return_rate_target', '0.8'),   -- seeds 000 and 002 4.1.4: at least 80% returned
    ('survey.score_threshold', '70');       -- seed 002 5.4.3: under 70 is treated as a complaint

CREATE SEQUENCE seq_survey_wave START 1;
CREATE TABLE survey_waves (
    id               INTEGER PRIMARY KEY DEFAULT nextval('seq_survey_wave'),
    code             VARCHAR NOT NULL,          -- DC-2026-01
    name             VARCHAR NOT NULL,
    purpose          VARCHAR NOT NULL,
    target           VARCHAR,                   -- 调查对象
    questionnaire_id INTEGER NOT NULL,
    level            VARCHAR NOT NULL,          -- group | branch | project (who organises it)
    owner_branch_id  INTEGER,                   -- for a branch wave
    owner_project_id INTEGER,                   -- for a project wave
    starts_on        DATE NOT NULL,
    ends_on          DATE NOT NULL,
    staff            VARCHAR,                   -- 人员安排
    status           VARCHAR NOT NULL DEFAULT 'draft',   -- draft | approved | closed
    created_by       VARCHAR NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    approved_by      VARCHAR,
    approved_at      TIMESTAMPTZ,
    closed_by        VARCHAR,
    closed_at        TIMESTAMPTZ,
    version          INTEGER NOT NULL DEFAULT 1
);

-- Forms issued per project (发放数量): the denominator of the return rate.
CREATE TABLE survey_wave_projects (
    wave_id      INTEGER NOT NULL,
    project_id   INTEGER NOT NULL,
    branch_id    INTEGER NOT NULL,
    forms_issued INTEGER NOT NULL,
    PRIMARY KEY (wave_id, project_id)
);

CREATE SEQUENCE seq_survey_response START 1;
CREATE TABLE survey_responses (
    id               INTEGER PRIMARY KEY DEFAULT nextval('seq_survey_response'),
    wave_id          INTEGER NOT NULL,
    project_id       INTEGER NOT NULL,
    branch_id        INTEGER NOT NULL,
    form_no          VARCHAR,                   -- number printed on the paper form, if any
    unit_id          INTEGER,
    unit_text        VARCHAR,
    respondent_name  VARCHAR,
    respondent_phone VARCHAR,
    source           VARCHAR NOT NULL,          -- paper | import | self
    token            VARCHAR,                   -- self-service token answered
    import_batch     VARCHAR,                   -- content hash of the imported file
    returned_on      DATE NOT NULL,
    comments         VARCHAR,                   -- 意见和建议, verbatim
    n_rated          INTEGER NOT NULL DEFAULT 0,
    n_unsatisfied    INTEGER NOT NULL DEFAULT 0,
    score            DOUBLE,                    -- 100-point score with the weights at entry time
    entered_by       VARCHAR,
    entered_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per item of a returned form; rating NULL = 未表态 (unrated).
CREATE TABLE survey_answers (
    response_id INTEGER NOT NULL,
    item_key    VARCHAR NOT NULL,
    rating      TINYINT
);

-- Per-household links for the self-service page (one response per token).
CREATE TABLE survey_tokens (
    token       VARCHAR PRIMARY KEY,
    wave_id     INTEGER NOT NULL,
    project_id  INTEGER NOT NULL,
    branch_id   INTEGER NOT NULL,
    unit_id     INTEGER,
    unit_text   VARCHAR,
    created_by  VARCHAR,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    used_at     TIMESTAMPTZ,
    response_id INTEGER
);

-- Corrective actions (整改 / 纠正和预防措施, seed 000): one per unsatisfied item or weak dimension.
CREATE SEQUENCE seq_survey_action START 1;
CREATE TABLE survey_actions (
    id          INTEGER PRIMARY KEY DEFAULT nextval('seq_survey_action'),
    wave_id     INTEGER NOT NULL,
    project_id  INTEGER NOT NULL,
    branch_id   INTEGER NOT NULL,
    item_key    VARCHAR,                   -- an item, or
    dimension   VARCHAR,                   -- a whole dimension
    problem     VARCHAR NOT NULL,
    measure     VARCHAR NOT NULL,          -- planned measure
    owner       VARCHAR NOT NULL,          -- responsible person
    deadline    DATE NOT NULL,
    result      VARCHAR,                   -- what was done; published to residents
    status      VARCHAR NOT NULL DEFAULT 'open',   -- open | done | cancelled
    done_on     DATE,
    created_by  VARCHAR NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    version     INTEGER NOT NULL DEFAULT 1
);

-- ---- the one definition of each survey figure ---------------------------------------------
-- A rating counts as qualified (合格项) when 很满意, 满意 or 较满意 (seed 002 4.1.5.2).
CREATE MACRO survey_qualified(rating) AS rating >= 2;
CREATE MACRO survey_unsatisfied(rating) AS rating = 1;
-- Satisfaction rate = qualified / (qualified + unsatisfied); unrated excluded from both;
-- NULL (shown "—") when nothing was rated. Takes counts so that it serves raw answers
-- (count(*) FILTER ...) and pre-aggregated tables alike.
CREATE MACRO survey_satisfaction(n_qualified, n_unsatisfied) AS
    CASE WHEN coalesce(n_qualified, 0) + coalesce(n_unsatisfied, 0) = 0 THEN NULL
         ELSE n_qualified::DOUBLE / (n_qualified + n_unsatisfied) END;
-- Return rate = returned / issued; NULL when nothing was issued.
CREATE MACRO survey_return_rate(n_returned, n_issued) AS
    CASE WHEN coalesce(n_issued, 0) = 0 THEN NULL ELSE n_returned::DOUBLE / n_issued END;
-- A corrective action past its deadline and not finished.
CREATE MACRO survey_action_overdue(status, deadline, today) AS status = 'open' AND deadline < today;
