"""The catalog is complete in both languages, and every key the code uses exists."""

from __future__ import annotations

import re
import string

from csm.i18n import catalog
from tests.conftest import ROOT

KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_][a-z0-9_.]*[a-z0-9_])["']""")
ERROR_USE = re.compile(r"""(?:UserError|ValidationFailed)\(\s*["']([a-z_][a-z0-9_.]+)["']""")


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, (zh, en) in catalog().items():
        assert zh.strip() and en.strip(), key
        assert fields(zh) == fields(en), key


def test_every_key_used_in_code_exists():
    used = set()
    for path in list((ROOT / "csm").rglob("*.py")) + list((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        used |= set(KEY_USE.findall(text)) | set(ERROR_USE.findall(text))
    missing = sorted(k for k in used if k not in catalog())
    assert not missing, missing


def test_labels_translate_a_column_as_label_does_each_value():
    import pandas as pd

    from csm.i18n import label, labels, speaking

    column = pd.Series(["clerk", "supervisor", None, "clerk", "nobody_knows"], dtype=object)
    with speaking("zh"):
        assert labels(column, "role").tolist() == ["客服助理", "客服主任", "", "客服助理", "nobody_knows"]
        assert labels(column, "role").tolist() == [label(v, "role") for v in column]
    with speaking("en"):
        assert labels(column, "role").tolist()[:2] == ["Clerk", "Supervisor"]


def test_redact_column_masks_as_redact_does():
    import pandas as pd

    from csm import privacy

    column = pd.Series(["3栋1201室 电话13800138000", "无数字", None, "１２号楼"], dtype=object)
    assert privacy.redact_column(column).tolist() == [privacy.redact(v) for v in column]
    assert privacy.redact_column(column).tolist()[0] == "＊栋＊室 电话＊"
