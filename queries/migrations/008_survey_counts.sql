-- Survey answers counted per wave x project x item, kept in step with survey_answers by every
-- write (csm.surveys._insert_form, the demo), so that analysis reads thousands of rows, not the
-- 30 M answers of the large size. Rates still come from the one macro survey_satisfaction, with
-- the seed 002 classes: qualified = 很满意 (4) + 满意 (3) + 较满意 (2), unsatisfied = 不满意 (1).
CREATE TABLE survey_item_counts (
    wave_id    INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    branch_id  INTEGER NOT NULL,
    item_key   VARCHAR NOT NULL,
    n4         BIGINT NOT NULL DEFAULT 0,   -- 很满意
    n3         BIGINT NOT NULL DEFAULT 0,   -- 满意
    n2         BIGINT NOT NULL DEFAULT 0,   -- 较满意
    n1         BIGINT NOT NULL DEFAULT 0,   -- 不满意
    n0         BIGINT NOT NULL DEFAULT 0,   -- 未表态 (unrated)
    PRIMARY KEY (wave_id, project_id, item_key)
);

INSERT INTO survey_item_counts
SELECT r.wave_id, r.project_id, r.branch_id, a.item_key,
       count(*) FILTER (WHERE a.rating = 4), count(*) FILTER (WHERE a.rating = 3),
       count(*) FILTER (WHERE a.rating = 2), count(*) FILTER (WHERE a.rating = 1),
       count(*) FILTER (WHERE a.rating IS NULL)
FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
GROUP BY ALL;

-- The classes of seed 002 4.1.5.2 on counted rows (the twins of survey_qualified / survey_unsatisfied).
CREATE MACRO survey_counts_qualified(n4, n3, n2) AS coalesce(n4, 0) + coalesce(n3, 0) + coalesce(n2, 0);
CREATE MACRO survey_counts_rate(n4, n3, n2, n1) AS
    survey_satisfaction(survey_counts_qualified(n4, n3, n2), coalesce(n1, 0));
