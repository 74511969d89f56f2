-- The desk's filters in one place: the worklist and its counts per status read the same set.
-- complaints_filtered(...) returns the complaints a scope may see that match every filter given
-- (NULL / FALSE = no filter); a category filter on a first-level category takes its subcategories.
CREATE MACRO complaints_filtered(scope_kind, scope_id, f_grade, f_category_id, f_department_id,
                                 f_project_id, f_assignee_id, f_date_from, f_date_to, f_text,
                                 f_escalated_only) AS TABLE
SELECT c.* FROM complaints c
WHERE in_scope(scope_kind, scope_id, c.project_id, c.branch_id)
  AND (f_grade IS NULL OR c.grade = f_grade)
  AND (f_department_id IS NULL OR c.department_id = f_department_id)
  AND (f_project_id IS NULL OR c.project_id = f_project_id)
  AND (f_assignee_id IS NULL OR c.assignee_id = f_assignee_id)
  AND (f_date_from IS NULL OR c.received_at >= f_date_from)
  AND (f_date_to IS NULL OR c.received_at < f_date_to)
  AND (NOT f_escalated_only OR c.escalation_level <> 'project')
  AND (f_category_id IS NULL OR c.category_id = f_category_id
       OR c.category_id IN (SELECT id FROM categories WHERE parent_id = f_category_id))
  AND (f_text IS NULL OR c.code ILIKE '%' || f_text || '%' OR c.complainant_name ILIKE '%' || f_text || '%'
       OR c.unit_text ILIKE '%' || f_text || '%' OR c.description ILIKE '%' || f_text || '%');
