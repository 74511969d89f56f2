"""Catalog: uploads — complaint attachments checked by content, Excel imports (reading, sample
rows, progress)."""

MESSAGES = {
    # complaint attachments: checked by content (csm.complaints.attachment_kind)
    "complaint.error.attach_content": ("文件“{name}”的内容不是 {ext} 文件（扩展名与内容不符），投诉未保存。"
                                       "请去掉该文件或换成真正的照片 / PDF 后再保存。",
                                       "File “{name}” is not really a .{ext} file (its content does not match "
                                       "its name); nothing was saved. Remove it or attach the real photo / PDF."),
    "complaint.error.attach_empty": ("文件“{name}”是空的，投诉未保存。", "File “{name}” is empty; nothing was saved."),
    "intake.pick_category1_first": ("请先选一级分类", "Pick the main category first"),
    "intake.attach_help": ("可上传照片（JPG、PNG、GIF、WebP、HEIC）、PDF、录音（MP3、M4A、AMR）、Word、Excel、TXT，"
                           "每个不超过 20 MB；按文件内容检查类型。",
                           "Photos (JPG, PNG, GIF, WebP, HEIC), PDF, recordings (MP3, M4A, AMR), Word, Excel, "
                           "TXT; up to 20 MB each; the type is checked by the file's content."),
    # reading an uploaded workbook (csm.excel.Book), both importers
    "excel.error.unreadable": ("无法读取该文件：它不是 Excel 工作簿（.xlsx）。请用下载的模板填写，并以 .xlsx 格式保存后上传。",
                               "The file cannot be read: it is not an Excel workbook (.xlsx). Fill in the "
                               "downloaded template and save it as .xlsx."),
    "excel.error.formula": ("第 {row} 行 {column} 列「{header}」是公式 {formula}，文件里没有它的计算结果。"
                            "请在 Excel 中打开并保存该文件，或把这一列“粘贴为数值”后再导入。",
                            "Row {row}, column {column} “{header}” holds the formula {formula} without a "
                            "calculated value. Open and save the file in Excel, or paste the column as "
                            "values, then import again."),
    # importers
    "import.samples_skipped": ("已跳过模板示例行：第 {rows} 行（首列为“示例”的行不导入）。",
                               "Skipped the template's sample row(s): {rows} (rows whose first cell reads "
                               "“示例”/“example” are not imported)."),
    "import.progress.read": ("正在读取文件：第 {done} / {total} 行…", "Reading the file: row {done} of {total}…"),
    "import.progress.check": ("正在检查：{done} / {total} 行…", "Checking: row {done} of {total}…"),
    "import.progress.save": ("正在保存：{done} / {total} 条…", "Saving: {done} of {total}…"),
    "import.status.running": ("正在导入 {name}…", "Importing {name}…"),
    "import.status.done": ("导入完成", "Import finished"),
    "import.status.failed": ("未导入：文件有问题，请看下面的说明", "Nothing imported: see the problems below"),
    "revisit.import.empty": ("文件中没有服务记录（除表头和示例行外是空的）。",
                             "The file contains no service records (nothing but the header and the sample row)."),
    "revisit.import.unreadable": ("无法读取该文件：它不是 CSV 文本文件。请上传 .xlsx 或 .csv 文件。",
                                  "The file cannot be read: it is not a CSV text file. Upload an .xlsx or "
                                  ".csv file."),
}
