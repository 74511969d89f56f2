-- Adds the buildings of an imported household list from staged(id, project_id, code, name). Params: none
INSERT INTO buildings (id, project_id, code, name) SELECT id, project_id, code, name FROM staged
