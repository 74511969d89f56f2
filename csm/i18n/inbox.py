"""Catalog: the home page's inbox (kinds of work, paging) and the complaint desk's compact view."""

MESSAGES = {
    "inbox.kind.overdue": ("超时投诉", "Overdue complaint"),
    "inbox.kind.due_soon": ("即将到期", "Due soon"),
    "inbox.kind.revisit_overdue": ("回访已超时", "Revisit overdue"),
    "inbox.kind.revisit_due": ("今日应回访", "Revisit due today"),
    "inbox.kind.action_overdue": ("整改已逾期", "Corrective action overdue"),
    "inbox.due": ("时限", "Due"),
    "inbox.late": ("已超时", "late"),
    "inbox.page": ("页码", "Page"),
    "inbox.page_of": ("第 {n} 页 / 共 {pages} 页", "Page {n} of {pages}"),
    "inbox.showing": ("第 {first}–{last} 项", "items {first}–{last}"),
    "desk.no_assignee": ("不指定责任人", "No assignee"),
    "timeline.system": ("系统", "System"),
    "desk.escalate_note.resolve": ("处理超时", "resolution late"),
    "desk.escalate_note.first_response": ("首次回复超时", "first response late"),
    "desk.escalate_note.overdue": ("超时", "overdue"),
}
