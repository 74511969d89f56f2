"""User-typed text shown as plain text (issue 12, hostile input).

st.markdown, st.caption, st.info/success/warning/error, st.subheader, expander, tab, radio, metric
and button labels all read Markdown (GitHub-flavoured, plus Streamlit's own :red[…], :material/…:
and $math$). A complainant typed as `[x](http://evil)` would be a live link, `![i](http://evil/i.png)`
an image fetched from elsewhere, `<img src=x>` raw HTML, `**x**` bold. `plain(text)` escapes every
character that starts such a construct, so the text shows exactly as typed, and line breaks stay line
breaks. Use it for every value a user typed (names, units, descriptions, comments, reasons, wave
names, file names …) that goes into one of those calls; `plain_t(key, **params)` is the catalog text
with its parameters escaped. Tables (st.dataframe) and st.text / st.code show text as is already.
"""

from __future__ import annotations

import re

from csm.i18n import t

# always escaped: the characters of links, images, HTML, emphasis, code, strikethrough, tables,
# math, entities, mail autolinks, and the escape character itself
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~$&@])")
# a colon that starts a directive, an emoji / icon short code or a URL scheme (:red[, :smile:, ://)
_COLON = re.compile(r":(?=[A-Za-z/])")
# www.example.com is linked by GFM without a scheme
_WWW = re.compile(r"(?i)(\bwww)\.")
# what makes a line a heading, a list, a quote, a rule or a setext underline
_LINE_START = re.compile(r"^(\d+(?=[.)])|(?=[#>+=-]))")


def plain(text: object) -> str:
    """The text with every Markdown / HTML construct escaped: shown exactly as typed."""
    if text is None:
        return ""
    out = _ALWAYS.sub(r"\\\1", str(text))
    out = _COLON.sub(r"\\:", out)
    out = _WWW.sub(r"\1\\.", out)
    lines = [_LINE_START.sub(r"\1\\", line.strip()) for line in out.splitlines()]
    return "  \n".join(lines)


def plain_t(key: str, **params) -> str:
    """The catalog text `key` with its text parameters escaped (the values a user typed)."""
    return t(key, **{k: plain(v) if isinstance(v, str) else v for k, v in params.items()})

