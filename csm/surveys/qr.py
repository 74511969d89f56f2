"""A printable sheet of QR codes, one per household link (segno renders each as inline SVG).

Opened in a browser and printed (A4, 4 x 5 per page), each cell carries the unit and the code;
the resident scans it and reaches the self-service questionnaire of the wave.
"""

from __future__ import annotations

from html import escape

import segno

CSS = """
@page { size: A4; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; }
h1 { font-size: 16px; margin: 0 0 4px; } p.note { font-size: 11px; color: #555; margin: 0 0 8px; }
.grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6mm; }
.cell { border: 1px dashed #999; padding: 3mm; text-align: center; break-inside: avoid; }
.cell .unit { font-size: 14px; font-weight: 600; margin-top: 2mm; }
.cell .url { font-size: 7px; color: #777; word-break: break-all; }
"""


def qr_svg(link: str, scale: int = 3) -> str:
    return segno.make(link, error="m").svg_inline(scale=scale)


def qr_sheet_html(title: str, note: str, rows: list[tuple[str, str]]) -> bytes:
    """rows: (unit label, link). Returns a UTF-8 HTML page ready to print."""
    cells = "".join(
        f'<div class="cell">{qr_svg(link)}<div class="unit">{escape(unit or "")}</div>'
        f'<div class="url">{escape(link)}</div></div>' for unit, link in rows)
    page = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1><p class=\"note\">{escape(note)}</p>"
            f'<div class="grid">{cells}</div></body></html>')
    return page.encode("utf-8")
