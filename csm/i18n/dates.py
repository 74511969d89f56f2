"""Catalog: refusals of typed dates and times (csm/dates.py), and system notes in the history."""

MESSAGES = {
    "date.error.format": ("“{text}”不是日期，请按 {format} 填写，例如 2026-03-05",
                          "“{text}” is not a date: type it as {format}, e.g. 2026-03-05"),
    "date.error.no_such_day": ("没有 {text} 这一天", "{text} is not a day of the calendar"),
    "date.error.too_early": ("{text} 太早，不能早于 {earliest}", "{text} is too early: not before {earliest}"),
    "date.error.too_late": ("{text} 不能晚于 {latest}", "{text} is too late: not after {latest}"),
    "date.error.time_format": ("“{text}”不是时间，请按 {format} 填写，例如 09:30",
                               "“{text}” is not a time: type it as {format}, e.g. 09:30"),
    "date.error.time_future": ("{text} 还没到（现在是 {now}）", "{text} is still to come (it is {now} now)"),
    "date.error.end_before_start": ("不能早于开始日期 {start}", "must not be before the start date {start}"),
    "date.placeholder": ("年-月-日，如 2026-03-05", "YYYY-MM-DD, e.g. 2026-03-05"),
    "date.time_placeholder": ("时:分，如 09:30", "HH:MM, e.g. 09:30"),
    # notes the system writes into a complaint's history (stored as codes, see csm/notes.py)
    "note.revisit_unsatisfied": ("回访不满意（回访记录 #{record}）：{reason}",
                                 "Unsatisfied at revisit (record #{record}): {reason}"),
}
