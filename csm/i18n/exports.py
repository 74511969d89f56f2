"""Catalog: exports — the two download buttons of every list and report (csm.web.ui.downloads),
the dashboard's indicator sheet, and the command line's export refusals (csm.exports)."""

MESSAGES = {
    "export.xlsx": ("下载 Excel", "Download Excel"),
    "export.csv": ("下载 CSV", "Download CSV"),
    "export.xlsx_help": ("与屏幕上相同的行和数字；表头为中文，首行冻结。",
                         "The same rows and figures as on screen; header row frozen."),
    "export.csv_help": ("UTF-8（带 BOM）编码，Excel 可直接打开中文；以 = + - @ 开头的文字前加了单引号，不会被当作公式。",
                        "UTF-8 with BOM (Excel opens the Chinese text directly); text starting with = + - @ "
                        "gets a leading quote so it never runs as a formula."),
    "export.prepare": ("生成导出文件（Excel 和 CSV）", "Prepare the export files (Excel and CSV)"),
    "export.prepare_help": ("数据较多，先生成文件再下载；生成时显示进度。",
                            "Many rows: the files are made first, with progress shown, then downloaded."),
    "export.step.csv": ("正在写入 CSV：{n} 行……", "Writing the CSV file: {n} rows…"),
    # the dashboard's indicator sheet
    "export.dash.sheet": ("指标", "Indicators"),
    "export.dash.indicator": ("指标", "Indicator"),
    "export.dash.value": ("本期", "This period"),
    "export.dash.previous": ("上期", "Previous period"),
    "export.dash.year_ago": ("去年同期", "Same period last year"),
    "export.dash.unit": ("单位", "Unit"),
    "export.dash.formula": ("计算方法", "Formula"),
    "export.unit.count": ("件", "count"),
    "export.unit.hours": ("小时", "hours"),
    "export.unit.per100": ("件/百户", "per 100 households"),
    # the command line (python -m csm export)
    "export.error.scope": ("范围“{scope}”无法识别：请写 group、branch:分公司编码 或 project:项目编码。",
                           "Scope “{scope}” is not understood: write group, branch:CODE or project:CODE."),
    "export.error.scope_unknown": ("没有编码为“{code}”的{kind}。", "There is no {kind} with code “{code}”."),
    "export.error.user": ("用户“{user}”不存在或已停用。", "User “{user}” does not exist or is deactivated."),
    "export.error.too_many_rows": ("超过 {n} 行，一个 Excel 工作表放不下：请缩小筛选范围（如期间、项目），或分次导出。",
                                   "More than {n} rows do not fit one Excel sheet: narrow the filters (period, "
                                   "project) or export in parts."),
    "export.error.no_wave": ("没有调查批次“{wave}”（或范围内还没有已开始的批次）。",
                             "No survey wave “{wave}” (or no started wave in the scope)."),
}
