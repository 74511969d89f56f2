-- Adds the owners of an imported household list from staged(id, project_id, unit_id, name, phone,
-- moved_in_on); relation owner. Params: none
INSERT INTO residents (id, project_id, unit_id, name, phone, relation, moved_in_on)
SELECT id, project_id, unit_id, name, phone, 'owner', moved_in_on FROM staged
