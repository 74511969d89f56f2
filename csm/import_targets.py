"""The registry of import targets: name -> target object (csm/importing/target.py), above the
capabilities like csm/flows.py (the mechanism in csm/importing looks targets up here and never
imports a capability itself).

Section of helper "targets" (issue 11): the complaint ledger with its history, revisit records and
service records. The households / units target (csm/org) is added by the import mechanism's
helper; the lead merges both sections into one TARGETS.
"""

from __future__ import annotations

from csm.complaints import importer as complaint_importer
from csm.revisits import importer as revisit_importer

# ---- targets ----
TARGETS = {
    complaint_importer.TARGET.name: complaint_importer.TARGET,
    revisit_importer.REVISITS_TARGET.name: revisit_importer.REVISITS_TARGET,
    revisit_importer.SERVICE_RECORDS_TARGET.name: revisit_importer.SERVICE_RECORDS_TARGET,
}
