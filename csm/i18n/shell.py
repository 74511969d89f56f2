"""The shell (login, menu, URL parameters), the working-calendar notices and the built-in
Streamlit texts replaced in the Chinese interface."""

MESSAGES = {
    "shell.complaint_not_found": ("链接中的投诉不存在或不在您的范围内。",
                                  "The complaint in the link does not exist or is outside your scope."),
    # Streamlit's own widget texts, replaced in the Chinese interface (csm.web.ui.chrome)
    "shell.uploader_button": ("选择文件", "Browse files"),
    "shell.uploader_hint": ("拖放文件到此处或点击“选择文件” · 单个文件不超过 {mb} MB",
                            "Drag and drop a file here or browse · up to {mb} MB a file"),
    "shell.stop": ("停止", "Stop"),
    "shell.no_results": ("无匹配项", "No results"),
    # the working calendar of the years the national holiday package does not cover
    "calendar.notice": (
        "{years} 年的法定节假日和调休上班日尚未收录：跨入该年的到期时间将只按周一至周五计算。"
        "请在「{page} → {tab}」录入或导入（国务院办公厅通常于 11 月公布次年安排）。",
        "The public holidays and make-up working days of {years} are not known yet: due times that run "
        "into that year count Monday to Friday only. Enter or import them under \"{page} → {tab}\" "
        "(the State Council usually publishes the next year's calendar in November)."),
    "calendar.years_sep": ("、", ", "),
    "calendar.years.title": ("各年份工作日历的来源", "Where each year's calendar comes from"),
    "calendar.years.year": ("年份", "Year"),
    "calendar.years.source": ("来源", "Source"),
    "calendar.years.entered": ("已录入日期（全部分公司）", "Dates entered (all branches)"),
    "calendar.source.package": ("节假日库（chinese-calendar）", "Holiday package (chinese-calendar)"),
    "calendar.source.entered": ("管理员录入", "Entered by the administrator"),
    "calendar.source.weekdays": ("仅周一至周五（未收录节假日）", "Monday to Friday only (no holidays known)"),
    "calendar.import.title": ("导入节假日和调休上班日", "Import holidays and make-up working days"),
    "calendar.import.help": (
        "CSV 或 Excel 文件，第一行为表头：日期（如 2027-10-01）、类型（假日 / 调休上班，或 holiday / "
        "workday）、备注（可选）。导入的日期适用于全部分公司；已录入的相同日期会跳过。",
        "A CSV or Excel file with a header row: date (e.g. 2027-10-01), kind (holiday / workday, or 假日 / "
        "调休上班), note (optional). The dates apply to all branches; dates already entered the same way "
        "are skipped."),
    "field.holiday_file": ("节假日文件", "Holiday file"),
    "calendar.import.file": ("节假日文件", "Holiday file"),
    "calendar.import.submit": ("导入", "Import"),
    "calendar.import.template": ("下载模板", "Download the template"),
    "calendar.import.done": ("已导入 {added} 个日期，{skipped} 个已录入而跳过。",
                             "{added} dates imported, {skipped} already entered and skipped."),
    "calendar.import.error.format": ("无法读取该文件：请上传 CSV 或 Excel（.xlsx）文件。",
                                     "The file cannot be read: upload a CSV or Excel (.xlsx) file."),
    "calendar.import.error.columns": ("文件需要“日期”和“类型”两列。",
                                      "The file needs a date column and a kind column."),
    "calendar.import.error.date": ("第 {row} 行 · 日期：“{value}”不是有效日期（格式 2027-10-01）",
                                   "Row {row} · date: \"{value}\" is not a valid date (format 2027-10-01)"),
    "calendar.import.error.kind": ("第 {row} 行 · 类型：“{value}”应为 假日 或 调休上班",
                                   "Row {row} · kind: \"{value}\" must be holiday or workday"),
    "calendar.import.error.duplicate": ("第 {row} 行 · 日期：{day} 与第 {other} 行重复",
                                        "Row {row} · date: {day} repeats row {other}"),
    "calendar.import.error.empty": ("文件中没有日期。", "The file has no dates."),
}
