"""Catalog: the indicators (name and formula), reasons for an undefined figure, dashboard words."""

MESSAGES = {
    "kpi.received": ("受理投诉数", "Complaints received"),
    "kpi.received.formula": ("统计期内受理（登记）的投诉件数。", "Complaints received (registered) in the period."),
    "kpi.received_per100": ("每百户投诉数", "Complaints per 100 households"),
    "kpi.received_per100.formula": (
        "已知户数的项目在统计期内受理的投诉数 ÷ 这些项目的户数 × 100。",
        "Complaints received in the period in projects whose household count is known ÷ their "
        "households × 100."),
    "kpi.valid": ("有效投诉数", "Valid complaints"),
    "kpi.valid.formula": ("统计期内受理、界定为有效投诉的件数。",
                          "Complaints received in the period and judged valid."),
    "kpi.on_time_rate": ("及时处理率", "On-time rate"),
    "kpi.on_time_rate.formula": (
        "处理时限落在统计期内（且已到期）的投诉中，在时限内处理完毕的比例。",
        "Of the complaints whose resolve limit fell in the period (and has passed), the share "
        "resolved within it."),
    "kpi.overdue_open": ("当前超时未结投诉", "Overdue open complaints"),
    "kpi.overdue_open.formula": ("此刻仍未处理完毕且已超过首次响应或处理时限的投诉（暂停中的不计）。",
                                 "Open complaints past their first-response or resolve limit now "
                                 "(suspended ones excluded)."),
    "kpi.first_answer_p50": ("首次响应时长（中位数）", "Hours to first response (median)"),
    "kpi.first_answer_p50.formula": ("统计期内首次响应的投诉，自受理到首次响应（或处理、关闭）的小时数的中位数。",
                                     "Median hours from receipt to the first response (or resolution "
                                     "or closing) of complaints first answered in the period."),
    "kpi.first_answer_p90": ("首次响应时长（90%分位）", "Hours to first response (90th percentile)"),
    "kpi.first_answer_p90.formula": ("同上，90%分位数：九成投诉在此时长内得到响应。",
                                     "As above, 90th percentile: nine in ten were answered within it."),
    "kpi.resolve_p50": ("处理时长（中位数）", "Hours to resolution (median)"),
    "kpi.resolve_p50.formula": ("统计期内处理完毕的投诉，自受理到处理完毕的小时数的中位数。",
                                "Median hours from receipt to resolution of complaints resolved in "
                                "the period."),
    "kpi.resolve_p90": ("处理时长（90%分位）", "Hours to resolution (90th percentile)"),
    "kpi.resolve_p90.formula": ("同上，90%分位数。", "As above, 90th percentile."),
    "kpi.reopened": ("重新打开次数", "Reopened"),
    "kpi.reopened.formula": ("统计期内投诉被重新打开（回访不满意或应要求）的次数。",
                             "Times a complaint was reopened in the period (unsatisfied revisit or "
                             "on request)."),
    "kpi.revisit_rate": ("回访率", "Revisit rate"),
    "kpi.revisit_rate.formula": ("回访到期日落在统计期内（且已到期）的回访任务中已完成的比例，目标100%。",
                                 "Of the revisits due in the period (so far), the share done; "
                                 "target 100%."),
    "kpi.revisit_on_time_rate": ("回访及时率", "Revisit on-time rate"),
    "kpi.revisit_on_time_rate.formula": ("同上，在到期前完成的比例。",
                                         "As above, the share done by the due time."),
    "kpi.revisit_satisfaction": ("回访满意率", "Revisit satisfaction"),
    "kpi.revisit_satisfaction.formula": ("已评价的回访中非“不满意”的比例。",
                                         "Of the rated revisits, the share not 不满意 (unsatisfied)."),
    "kpi.survey_return_rate": ("问卷回收率", "Survey return rate"),
    "kpi.survey_return_rate.formula": ("最近一次调查：回收份数 ÷ 发放份数，目标不低于80%。",
                                       "Latest wave: forms returned ÷ forms issued; target at least 80%."),
    "kpi.survey_satisfaction": ("满意率", "Satisfaction rate"),
    "kpi.survey_satisfaction.formula": (
        "最近一次调查（程序002 4.1.5.2）：(很满意+满意+较满意) ÷ (很满意+满意+较满意+不满意)，未表态不计。",
        "Latest wave (seed 002 4.1.5.2): (very satisfied + satisfied + fairly satisfied) ÷ (those + "
        "unsatisfied); unrated excluded."),
    "kpi.actions_open": ("未完成整改", "Corrective actions open"),
    "kpi.actions_open.formula": ("此刻状态为进行中的整改措施。", "Corrective actions open now."),
    "kpi.actions_overdue": ("逾期整改", "Corrective actions overdue"),
    "kpi.actions_overdue.formula": ("此刻仍未完成且已过完成期限的整改措施。",
                                    "Open corrective actions past their deadline now."),
    "kpi.actions_done": ("已完成整改", "Corrective actions done"),
    "kpi.actions_done.formula": ("统计期内完成的整改措施。", "Corrective actions done in the period."),
    "kpi.reason.nothing_due": ("统计期内没有到期的事项", "nothing fell due in the period"),
    "kpi.reason.nothing_rated": ("没有已评价的记录", "nothing was rated"),
    "kpi.reason.no_rows": ("统计期内没有记录", "no records in the period"),
    "kpi.reason.no_households": ("项目户数未知", "household counts are not known"),
    "kpi.reason.no_wave": ("尚无满意度调查", "no survey wave yet"),
}
