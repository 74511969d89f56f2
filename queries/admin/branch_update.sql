-- Updates a branch's name and active flag (codes never change). Params: $id, $name, $active
UPDATE branches SET name = $name, active = $active WHERE id = $id
