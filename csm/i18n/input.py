"""Messages of hostile or oversized input (issue 12): phone numbers, text limits, upload limits,
expired survey links."""

MESSAGES = {
    "phone.error.invalid": (
        "电话号码「{value}」无效：请填写11位手机号或带区号的座机（如 010-8888 6666）。",
        "Phone number “{value}” is not valid: enter an 11-digit mobile or a landline with its area "
        "code (e.g. 010-8888 6666)."),
    "input.error.too_long": (
        "内容过长：最多 {limit} 个字符，当前 {n} 个。",
        "Too long: at most {limit} characters, this has {n}."),
    "upload.error.too_big": (
        "文件「{name}」有 {size} MB，超过每个文件 {limit} MB 的上限，未导入任何内容。",
        "File “{name}” is {size} MB, over the limit of {limit} MB per file; nothing was imported."),
    "upload.error.too_many_rows": (
        "文件「{name}」有 {n} 行数据，超过每次导入 {limit} 行的上限，未导入任何内容。请拆分成多个文件后再导入。",
        "File “{name}” has {n} data rows, over the limit of {limit} rows per import; nothing was "
        "imported. Split it into several files."),
    "survey.self.expired": (
        "本次调查已于 {end} 结束，此链接已失效，感谢您的关注。",
        "This survey ended on {end}; the link no longer works. Thank you for your interest."),
    "survey.self.closed": (
        "本次调查已结束，此链接已失效，感谢您的关注。",
        "This survey has ended; the link no longer works. Thank you for your interest."),
}
