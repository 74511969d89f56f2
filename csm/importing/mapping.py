"""The user's mapping of a file to a target: which file column feeds each field, which product
value each of the file's values of a choice field stands for, the date format and the reading
options. Suggested from the target's header names (Field.aliases and the field's name in both
languages: exact, case- and punctuation-insensitive, then contained, then fuzzy), saved as JSON
under a name per target and reused for the next file of the same system."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from csm.i18n import t
from csm.importing.reader import ReadOptions, Sheet
from csm.importing.target import Choice, Field, Target
from csm.importing.values import DATE_FORMATS, suggest_date_format, text

FUZZY = 0.75  # a header this similar to a name (difflib ratio) is suggested


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)          # field key -> file header
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field key -> {file value: choice value}
    date_format: str | None = None                                 # values.DATE_FORMATS; None: suggested
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    def options(self) -> ReadOptions:
        return ReadOptions(self.encoding, self.delimiter, self.sheet)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | dict) -> Mapping:
        data = json.loads(raw) if isinstance(raw, str) else dict(raw)
        known = {k: data[k] for k in ("columns", "values", "date_format", "encoding", "delimiter", "sheet")
                 if k in data}
        return cls(**known)


def norm(name: str) -> str:
    """A header compared without case, spaces, punctuation and a unit in brackets: "Move-in Date
    (YYYY-MM-DD)" and "move in date" are the same name."""
    s = re.sub(r"[（(【\[].*?[）)】\]]", "", str(name or "")).lower()
    return re.sub(r"[\s\-_./:：、·*＊#№]+", "", s)


def names_of(f: Field) -> list[str]:
    return [f.key, t(f.label, lang="zh"), t(f.label, lang="en"), *f.aliases]


def suggest_columns(target: Target, headers: list[str]) -> dict[str, str]:
    """field key -> the file header suggested for it; a header serves one field at most."""
    scored = []
    for f in target.fields:
        names = [n for n in (norm(x) for x in names_of(f)) if n]
        for h in headers:
            nh = norm(h)
            if not nh:
                continue
            if nh in names:
                score = 3.0
            elif any(len(n) >= 2 and (n in nh or nh in n) for n in names):
                score = 2.0
            else:
                best = max((SequenceMatcher(None, nh, n).ratio() for n in names), default=0.0)
                score = best if best >= FUZZY else 0.0
            if score:
                scored.append((score, -target.fields.index(f), f.key, h))
    taken_f, taken_h, out = set(), set(), {}
    for _score, _, key, h in sorted(scored, reverse=True):
        if key not in taken_f and h not in taken_h:
            out[key] = h
            taken_f.add(key)
            taken_h.add(h)
    return {f.key: out[f.key] for f in target.fields if f.key in out}


def distinct_values(sheet: Sheet, header: str) -> Counter:
    """The file's values of one column (as text) with how many rows carry each."""
    return Counter(v for v in (text(x) for x in sheet.column(header)) if v is not None)


def suggest_values(choices: list[Choice], found: list[str]) -> dict[str, str]:
    """file value -> choice value for the values that name a choice (its value, its label, or the
    last part of a "parent / child" label), without case and spaces."""
    index: dict[str, str] = {}
    for c in choices:
        parts = c.label.split(" ", 1)
        for name in (c.value, c.label, c.label.split("/")[-1], parts[0], parts[-1]):
            index.setdefault(norm(name), c.value)
    out = {}
    for v in found:
        hit = index.get(norm(v))
        if hit is not None:
            out[v] = hit
    return out


def complete(target: Target, sheet: Sheet, mapping: Mapping, choices_of) -> Mapping:
    """The mapping with every unset column and choice value filled by its suggestion (a saved
    mapping's own choices win); `choices_of(field_key)` gives a choice field's choices."""
    columns = {k: h for k, h in mapping.columns.items() if h in sheet.headers}
    for key, h in suggest_columns(target, [h for h in sheet.headers if h not in columns.values()]).items():
        columns.setdefault(key, h)
    values = {k: dict(v) for k, v in mapping.values.items()}
    for f in target.fields:
        if f.kind == "choice" and f.key in columns:
            found = list(distinct_values(sheet, columns[f.key]))
            wanted = [v for v in found if v not in values.get(f.key, {})]
            if wanted:
                values.setdefault(f.key, {}).update(suggest_values(choices_of(f.key), wanted))
    date_format = mapping.date_format
    if date_format not in DATE_FORMATS:
        found = [v for f in target.fields if f.kind in ("date", "datetime") and f.key in columns
                 for v in sheet.column(columns[f.key])]
        date_format = suggest_date_format(found)
    return Mapping(columns, values, date_format, sheet.encoding or mapping.encoding,
                   sheet.delimiter or mapping.delimiter, sheet.sheet or mapping.sheet)
