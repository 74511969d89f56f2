-- Demo data: every active project takes part in the wave; forms issued = households x $share.
-- Params: $wave_id, $share
INSERT INTO survey_wave_projects (wave_id, project_id, branch_id, forms_issued)
SELECT $wave_id, p.id, p.branch_id,
       greatest(1, round(coalesce(p.households, 0) * $share)::INTEGER)
FROM projects p
WHERE p.active AND coalesce(p.households, 0) > 0
