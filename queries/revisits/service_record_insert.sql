-- Inserts a repair or paid-service record and returns its id. Params: $project_id, $branch_id,
-- $unit_id, $unit_text, $resident_name, $resident_phone, $service_type, $department_id,
-- $completed_at, $completed_by, $description, $external_ref, $import_batch, $created_by
INSERT INTO service_records (project_id, branch_id, unit_id, unit_text, resident_name,
    resident_phone, service_type, department_id, completed_at, completed_by, description,
    external_ref, import_batch, created_by)
VALUES ($project_id, $branch_id, $unit_id, $unit_text, $resident_name, $resident_phone,
    $service_type, $department_id, $completed_at, $completed_by, $description, $external_ref,
    $import_batch, $created_by)
RETURNING id
