"""Satisfaction surveys (满意度调查): questionnaires and weights, waves and their approval, form
entry and import, self-service links, the analysis figures, corrective actions (整改).

DOMAIN.md §4 (docs/domain.md); seeds 000 (twice a year, 80% returned, every unsatisfied item
revisited and rectified), 002 4.1 (plans approved by company leaders for a group wave and by the
department manager for a local one; 4.1.5.2 the satisfaction formula; 5.4.3 under 70 points =
followed up), 003 (顾客意见调查表 / 调查统计表). The formula itself lives in SQL, in the macro
survey_satisfaction (queries/migrations/005_surveys.sql), which every figure uses.

Public face: `commands` (writes) and `reads` (what the screens show), both `fn(db, actor, ...)`
and guarded by csm/policy.py; `self_service` for the resident's link (no login, the token is the
credential). Internal modules: rules (rating rule, settings, approval and closing rules),
questionnaires, waves, entry (grid and forms), imports (Excel), links (tokens), analysis,
actions, charts, qr. A low score is followed up through the event "survey.follow_up"
(csm/flows.py): surveys imports no other capability.
"""

# The shapes a screen builds for a command and the pure helpers it formats with (no database):
from csm.surveys.actions import ActionInput
from csm.surveys.analysis import statistics_table, statistics_xlsx
from csm.surveys.entry import FormInput, IncompleteForms, grid_forms
from csm.surveys.links import open_links
from csm.surveys.rules import ACTION_STATUSES, item_label, item_text, parse_rating, score_threshold
from csm.surveys.waves import WavePlan

__all__ = ["ACTION_STATUSES", "ActionInput", "FormInput", "IncompleteForms", "WavePlan", "grid_forms",
           "item_label", "item_text", "open_links", "parse_rating", "score_threshold",  # score_threshold:
           "statistics_table", "statistics_xlsx"]                                      # dashboards' exports
