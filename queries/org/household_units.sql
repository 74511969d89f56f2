-- Returns: the units of the given projects with their building and current owner (the latest
-- resident whose relation is owner), for matching a household list. Params: $project_ids (list)
SELECT u.id, u.project_id, u.building_id, b.code AS building_code, b.name AS building_name, u.code,
       u.area_m2, r.id AS owner_id, r.name AS owner, r.phone, r.moved_in_on
FROM units u JOIN buildings b ON b.id = u.building_id
LEFT JOIN (SELECT *, row_number() OVER (PARTITION BY unit_id ORDER BY moved_in_on DESC NULLS LAST, id DESC) AS rn
           FROM residents WHERE relation = 'owner' AND project_id = ANY(CAST($project_ids AS INTEGER[]))) r
       ON r.unit_id = u.id AND r.rn = 1
WHERE u.project_id = ANY(CAST($project_ids AS INTEGER[]))
