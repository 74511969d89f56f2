-- Fills the demo users' inboxes: escalations and major complaints of the last 14 days reach the
-- users of their level (as csm.complaints.notify). Params: $anchor
INSERT INTO notifications (user_id, complaint_id, kind, created_at)
SELECT u.id, c.id, CASE WHEN c.escalation_level <> 'project' THEN 'escalated' ELSE 'major' END, c.received_at
FROM complaints c JOIN users u ON u.active
WHERE c.received_at >= CAST($anchor AS TIMESTAMPTZ) - INTERVAL 14 DAY
  AND (c.escalation_level <> 'project' OR c.grade = 'major')
  AND CASE CASE WHEN c.escalation_level <> 'project' THEN c.escalation_level ELSE c.owner_level END
      WHEN 'branch_manager' THEN u.role = 'manager' AND u.scope_kind = 'branch' AND u.scope_id = c.branch_id
      WHEN 'general_manager' THEN (u.role = 'manager' AND u.scope_kind = 'group') OR u.role = 'head_office'
      WHEN 'quality_department' THEN u.role = 'head_office'
      ELSE FALSE END
