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
