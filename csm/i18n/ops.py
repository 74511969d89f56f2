"""Catalog: ops — the operator's command line while the app serves (csm/cli.py, csm/ops/):
each refusal is one line."""

MESSAGES = {
    "ops.in_use": ("数据库 {db} 正被另一个进程（PID {pid}）使用，{command} 未执行：请先停止该进程"
                   "（应用运行时，backup、escalate、digest 由应用代为执行）。",
                   "The database {db} is in use by another process (PID {pid}); {command} was not run: "
                   "stop that process first (while the app serves, backup, escalate and digest are run by it)."),
    "ops.no_answer": ("数据库 {db} 正被另一个进程（PID {pid}）使用，且它没有响应控制请求，{command} 未执行："
                      "请确认应用在运行，稍后再试。",
                      "The database {db} is in use by another process (PID {pid}) that does not answer "
                      "control requests; {command} was not run: check that the app is running and try again."),
    "ops.server_failed": ("应用进程（PID {pid}）执行 {command} 失败：{error}",
                          "The serving process (PID {pid}) failed to run {command}: {error}"),
    "ops.by_server": ("由正在运行的应用进程（PID {pid}）完成", "done by the serving process (PID {pid})"),
    "ops.by_cli": ("由本命令直接完成（没有进程占用数据库）", "done by this command (no process holds the database)"),
    "ops.backup.done": ("已备份到 {file}：{tables} 张表共 {rows} 行，附件 {files} 个，大小 {size}；{who}。",
                        "Backed up to {file}: {tables} tables, {rows} rows, {files} uploaded files, {size}; {who}."),
    "ops.backup.failed": ("备份未完成：{error}", "The backup was not made: {error}"),
    "ops.escalate.done": ("已升级 {n} 宗超时投诉；{who}。", "Escalated {n} overdue complaint(s); {who}."),
    "ops.digest.done": ("{day} 的每日摘要：{n} 位收件人，文件在 {folder}；{who}。",
                        "Digest of {day}: {n} recipient(s), files in {folder}; {who}."),
    "ops.bad_date": ("--date 须为 YYYY-MM-DD，而不是 {value}", "--date must be YYYY-MM-DD, not {value}"),
    "ops.restore.in_use": ("数据库 {db} 正在使用中（PID {pid}），拒绝恢复：请先停止应用，再运行 restore。",
                           "The database {db} is in use (PID {pid}); restore refused: stop the app first, "
                           "then run restore."),
    "ops.restore.missing": ("找不到备份文件：{file}，未做任何更改。", "No such backup: {file}; nothing was changed."),
    "ops.restore.invalid": ("备份文件 {file} 不完整或已损坏（{reason}），未做任何更改。",
                            "The backup {file} is incomplete or damaged ({reason}); nothing was changed."),
    "ops.reason.unreadable": ("归档无法完整读取：{error}", "the archive cannot be read to its end: {error}"),
    "ops.reason.no_manifest": ("缺少清单 manifest.json 或清单不可读", "manifest.json is missing or unreadable"),
    "ops.reason.file_differs": ("{name} 缺失，或大小 / 校验和与清单不符",
                                "{name} is missing or its size / checksum differs from the manifest"),
    "ops.reason.table_differs": ("表 {table} 的行数或校验和与清单不符",
                                 "table {table}: row count or checksum differs from the manifest"),
    "ops.restore.done": ("已从备份 {file}（生成于 {created}，{tables} 张表共 {rows} 行，附件 {files} 个）恢复数据库到 {db}，"
                         "附件到 {uploads}；原数据库已保留为 {aside_db}，原附件目录已保留为 {aside_uploads}。",
                         "Restored {db} and the uploads {uploads} from the backup {file} (made {created}: "
                         "{tables} tables, {rows} rows, {files} uploaded files); the replaced database is kept as "
                         "{aside_db}, the replaced uploads as {aside_uploads}."),
    "ops.none": ("（无）", "(none)"),
    "ops.init.done": ("数据库 {db}：已应用迁移 {applied}。", "Database {db}: applied migrations {applied}."),
    "ops.init.up_to_date": ("数据库 {db}：已是最新，无需迁移。", "Database {db}: up to date, no migration applied."),
    "ops.user.created": ("已创建用户 {username}。", "User {username} created."),
    # ---- pgops: the same commands on PostgreSQL (CSM_DB_URL), run directly against the server ----
    "ops.by_cli_pg": ("由本命令直接在 PostgreSQL 服务器上完成", "done by this command directly on the PostgreSQL server"),
    "ops.escalate.skipped": ("另一个进程正在执行超时升级，本次跳过（它会完成同样的工作）；{who}。",
                             "Another process is running the escalation; this run skipped it (that run does "
                             "the same work); {who}."),
    "ops.codes.returned": ("已将 {n} 个取号后从未使用的投诉编号放回编号池（{numbers}），后续新投诉将优先使用。",
                           "Handed back {n} complaint number(s) taken and never used ({numbers}); the next "
                           "filings take them first."),
    "ops.restore.pg_in_use": ("数据库 {db} 还有 {n} 个其他会话在使用（PID {pids}），拒绝恢复，未做任何更改："
                              "请先停止所有应用进程和其他连接，再运行 restore。",
                              "The database {db} is used by {n} other session(s) (PID {pids}); restore refused, "
                              "nothing was changed: stop every app process and other connection first, then run "
                              "restore."),
    "ops.reason.other_engine": ("这是另一种数据库（{found}）的备份，不能恢复到当前数据库",
                                "a backup of another engine ({found}), not of this database"),
}
