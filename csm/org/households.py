"""The households/units import target (issue 11): a company's household list — project, building,
unit, owner, phone, move-in date, area — becomes buildings, units and owner residents.

Households are the denominators of the per-100-household rates (projects.households) and the list
behind the survey links (one link per unit), so after an import each project it touched counts
its units as its households. A row is identified by (project, building, unit): the same list
again is "same", a corrected one updates the area and the owner's name, phone and move-in date.
What an import wrote is kept in import_records (with the old values of what it changed), so that
undo removes what it added and restores what it changed — refused while a complaint, revisit,
service record, survey form or link, or another resident refers to a unit or owner it added.
Nothing here creates a move-in revisit: an imported list is history, not a move-in today."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd

from csm.errors import UserError
from csm.importing.target import Choice, Field, Outcome

_SUFFIX = re.compile(r"(号楼|号|栋|幢|座|楼|单元)$")


def _key(s) -> str:
    return " ".join(str(s or "").split()).lower()


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):  # a saved mapping naming something that is not a project id
        return None


def _building_code(text: str) -> str:
    """"3号楼" → "3", "A座" → "A", "B2" → "B2" (the code the demo and the admin grid use)."""
    code = _SUFFIX.sub("", text.strip()).strip()
    return code or text.strip()


class HouseholdsTarget:
    name = "households"
    label = "imports.target.households"
    fields = (
        Field("project", "field.import_project", "choice", required=True,
              aliases=("项目", "项目名称", "项目编号", "小区", "小区名称", "楼盘", "管理处", "project", "project name",
                       "project code", "estate", "community", "site")),
        Field("building", "field.import_building", "text", required=True, max_chars=40,
              aliases=("楼栋", "楼号", "栋号", "楼宇", "楼栋号", "幢", "栋", "building", "block", "tower")),
        Field("unit", "field.import_unit", "text", required=True, max_chars=40,
              aliases=("房号", "房间号", "户号", "门牌号", "单元号", "房屋编号", "unit", "unit no", "room", "room no",
                       "flat", "apartment", "house number")),
        Field("owner", "field.import_owner", "text", max_chars=60,
              aliases=("业主", "业主姓名", "户主", "姓名", "住户姓名", "owner", "owner name", "name", "resident")),
        Field("phone", "field.import_phone", "phone",
              aliases=("电话", "联系电话", "手机", "手机号", "手机号码", "业主电话", "phone", "mobile", "tel",
                       "telephone", "contact")),
        Field("moved_in_on", "field.import_moved_in_on", "date",
              aliases=("入住日期", "入住时间", "交房日期", "收房日期", "move-in date", "moved in", "move in",
                       "handover date")),
        Field("area_m2", "field.import_area_m2", "number",
              aliases=("面积", "建筑面积", "房屋面积", "建面", "面积㎡", "area", "area m2", "floor area", "sqm",
                       "gross area", "gfa")),
    )
    natural_key = ("project", "building", "unit")

    # ---- the value mapping -------------------------------------------------------------------
    def choices(self, db, actor, field_key: str) -> list[Choice]:
        if field_key != "project":
            return []
        return [Choice(str(p["id"]), f"{p['code']} {p['name']}") for p in db.rows("org/projects_in_scope", actor.params())]

    # ---- judging the rows ----------------------------------------------------------------------
    def _resolve(self, tx, actor, rows: pd.DataFrame) -> list[dict]:
        """Each row with its project, existing building and unit (or None), or its rejection."""
        allowed = {int(p["id"]) for p in tx.rows("org/projects_in_scope", actor.params())}
        ids = sorted({_int(p) for p in rows["project"].dropna()} & allowed)
        buildings: dict[tuple[int, str], dict] = {}
        for b in tx.rows("org/household_buildings", {"project_ids": ids}):
            buildings.setdefault((b["project_id"], _key(b["name"])), b)
            buildings[(b["project_id"], _key(b["code"]))] = b
        units = {(u["project_id"], u["building_id"], _key(u["code"])): u
                 for u in tx.rows("org/household_units", {"project_ids": ids})}
        seen: dict[tuple, int] = {}
        out = []
        cols = list(rows.columns)
        for values in zip(*(rows[c].tolist() for c in cols), strict=True):  # to_dict("records") boxes each cell
            r = dict(zip(cols, values, strict=True))
            line = int(r["_line"])
            pid = _int(r["project"])
            item = {"row": r, "line": line, "project_id": pid, "building": None, "unit": None, "reject": None}
            if pid not in allowed:
                item["reject"] = Outcome(line, "reject", "project", UserError("imports.error.project_scope"))
                out.append(item)
                continue
            btext, utext = r["building"], r["unit"]
            b = buildings.get((pid, _key(btext))) or buildings.get((pid, _key(_building_code(btext))))
            key = (pid, _key(b["code"]) if b else _key(_building_code(btext)), _key(utext))
            if key in seen:
                item["reject"] = Outcome(line, "reject", "unit", UserError("imports.error.duplicate", line=seen[key]))
                out.append(item)
                continue
            seen[key] = line
            item["building"] = b
            if b:
                item["unit"] = (units.get((pid, b["id"], _key(utext)))
                                or units.get((pid, b["id"], _key(f"{b['code']}-{utext}"))))
            out.append(item)
        return out

    @staticmethod
    def _changes(r: dict, unit: dict) -> dict:
        """What the row changes on an existing unit: {"area_m2": …, "owner": {...}} (empty: same)."""
        changes = {}
        if r.get("area_m2") is not None and (unit["area_m2"] is None or abs(float(unit["area_m2"]) - r["area_m2"]) > 1e-9):
            changes["area_m2"] = r["area_m2"]
        owner = {"name": r.get("owner"), "phone": r.get("phone"), "moved_in_on": r.get("moved_in_on")}
        if owner["name"] is not None:
            current = {"name": unit["owner"], "phone": unit["phone"], "moved_in_on": unit["moved_in_on"]}
            wanted = {k: (v if v is not None else (current[k] if unit["owner_id"] else None)) for k, v in owner.items()}
            if unit["owner_id"] is None or wanted != current:
                changes["owner"] = wanted
        return changes

    def plan(self, tx, actor, rows: pd.DataFrame) -> list[Outcome]:
        out = []
        for item in self._resolve(tx, actor, rows):
            if item["reject"]:
                out.append(item["reject"])
            elif item["unit"] is None:
                out.append(Outcome(item["line"], "add"))
            else:
                unit = item["unit"]
                action = "update" if self._changes(item["row"], unit) else "same"
                out.append(Outcome(item["line"], action, record_id=unit["id"]))
        return out

    # ---- writing ---------------------------------------------------------------------------------
    def apply(self, tx, actor, rows: pd.DataFrame, outcomes: list[Outcome], batch_id: int) -> None:
        act = {o.line: o.action for o in outcomes}
        items = [i for i in self._resolve(tx, actor, rows) if not i["reject"] and act.get(i["line"]) in ("add", "update")]
        records: list[dict] = []

        def record(kind, rid, action, before=None):
            records.append({"batch_id": batch_id, "kind": kind, "record_id": int(rid), "action": action,
                            "before": json.dumps(before, ensure_ascii=False, default=str) if before is not None else None})

        # new buildings (one per project and building named in the added rows)
        new_b: dict[tuple[int, str], dict] = {}
        for i in items:
            if i["building"] is None:
                code = _building_code(i["row"]["building"])
                new_b.setdefault((i["project_id"], _key(code)), {"project_id": i["project_id"], "code": code,
                                                                  "name": i["row"]["building"].strip()})
        if new_b:
            ids = self._ids(tx, "seq_building", len(new_b))
            for b, bid in zip(new_b.values(), ids, strict=True):
                b["id"] = bid
                record("building", bid, "add")
            tx.load("org/household_buildings_load", pd.DataFrame(list(new_b.values()), columns=["id", "project_id", "code", "name"]))
        adds = [i for i in items if act[i["line"]] == "add"]
        units = []
        for i, uid in zip(adds, self._ids(tx, "seq_unit", len(adds)), strict=True):
            b = i["building"] or new_b[(i["project_id"], _key(_building_code(i["row"]["building"])))]
            i["unit_id"] = uid
            units.append({"id": uid, "project_id": i["project_id"], "building_id": b["id"], "code": i["row"]["unit"],
                          "area_m2": i["row"].get("area_m2")})
            record("unit", uid, "add")
        if units:
            frame = pd.DataFrame(units, columns=["id", "project_id", "building_id", "code", "area_m2"])
            frame["area_m2"] = frame["area_m2"].astype("float64")
            tx.load("org/household_units_load", frame)
        owners = []
        for i in items:
            r = i["row"]
            if act[i["line"]] == "add":
                if r.get("owner") is not None:
                    owners.append({"project_id": i["project_id"], "unit_id": i["unit_id"], "name": r["owner"],
                                   "phone": r.get("phone"), "moved_in_on": r.get("moved_in_on")})
                continue
            unit = i["unit"]
            changes = self._changes(r, unit)
            if "area_m2" in changes:
                tx.execute("org/household_unit_area", {"id": unit["id"], "area_m2": changes["area_m2"]})
                record("unit", unit["id"], "update", {"area_m2": unit["area_m2"]})
            if "owner" in changes:
                o = changes["owner"]
                if unit["owner_id"] is None:
                    owners.append({"project_id": i["project_id"], "unit_id": unit["id"], **o})
                else:
                    tx.execute("org/household_resident_set", {"id": unit["owner_id"], **o})
                    record("resident", unit["owner_id"], "update",
                           {"name": unit["owner"], "phone": unit["phone"], "moved_in_on": unit["moved_in_on"]})
        if owners:
            for o, rid in zip(owners, self._ids(tx, "seq_resident", len(owners)), strict=True):
                o["id"] = rid
                record("resident", rid, "add")
            frame = pd.DataFrame(owners, columns=["id", "project_id", "unit_id", "name", "phone", "moved_in_on"])
            frame["moved_in_on"] = pd.to_datetime(frame["moved_in_on"]).dt.date
            frame["moved_in_on"] = frame["moved_in_on"].astype(object).where(frame["moved_in_on"].notna(), None)
            tx.load("org/household_residents_load", frame)
        # the denominators: each project touched counts its units as its households
        touched = sorted({i["project_id"] for i in adds})
        for p in tx.rows("org/household_project_counts", {"project_ids": touched}):
            if p["households"] != p["units"]:
                tx.execute("org/household_project_set", {"id": p["id"], "households": int(p["units"])})
                record("project", p["id"], "update", {"households": p["households"]})
        if records:
            tx.load("importing/records_load", pd.DataFrame(records, columns=["batch_id", "kind", "record_id", "action", "before"]))

    @staticmethod
    def _ids(tx, seq: str, n: int) -> list[int]:
        return [int(r["id"]) for r in tx.rows("org/household_next_ids", {"seq": seq, "n": n})] if n else []

    def undo(self, tx, actor, batch_id: int) -> int:
        recs = tx.rows("importing/records", {"batch_id": int(batch_id)})
        added = {k: [r["record_id"] for r in recs if r["kind"] == k and r["action"] == "add"]
                 for k in ("building", "unit", "resident")}
        refs = tx.value("org/household_refs", {"batch_id": int(batch_id)})
        if refs:
            raise UserError("imports.error.referred", n=int(refs))
        for r in reversed([r for r in recs if r["action"] == "update"]):
            before = json.loads(r["before"])
            if r["kind"] == "unit":
                tx.execute("org/household_unit_area", {"id": r["record_id"], "area_m2": before["area_m2"]})
            elif r["kind"] == "resident":
                moved = before["moved_in_on"]
                tx.execute("org/household_resident_set", {"id": r["record_id"], "name": before["name"],
                                                          "phone": before["phone"],
                                                          "moved_in_on": date.fromisoformat(moved) if moved else None})
            elif r["kind"] == "project":
                tx.execute("org/household_project_set", {"id": r["record_id"], "households": before["households"]})
        for kind in ("residents", "units", "buildings"):
            tx.execute(f"org/household_delete_{kind}", {"batch_id": int(batch_id)})
        return len(added["unit"]) + len(added["resident"])


TARGET = HouseholdsTarget()
