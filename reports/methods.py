"""``METHODS.md`` as a web page: the rules of every verdict, served offline at ``/metod``.

A small converter for the Markdown the file uses (headings with ``{#anchor}``, paragraphs, bullet
lists, tables, ``**bold**``, ``*italic*``, ``code``, a rule); everything is HTML-escaped, so the page
holds no markup but its own. No dependency, no CDN.

>>> "<h2 id=\\"fdr\\">" in methods_html("## Många {#fdr}\\n\\ntext")
True
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from config import PROJECT_ROOT

#: where the page serves the method (the cards, the compare view and the reports link here)
METHOD_PATH = "/metod"
METHODS_FILE = PROJECT_ROOT / "METHODS.md"

_HEADING = re.compile(r"^(#{1,4})\s+(.*?)\s*(?:\{#([\w-]+)\})?\s*$")


def _inline(text: str) -> str:
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])", r"<em>\1</em>", out)


def _table(rows: list[str]) -> str:
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
    head, body = cells[0], [r for r in cells[2:]]
    th = "".join(f"<th>{_inline(c)}</th>" for c in head)
    trs = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>" for r in body)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


def methods_html(markdown: str) -> str:
    """The HTML body of a Markdown text in the subset described in the module docstring."""
    lines = markdown.splitlines()
    out: list[str] = []
    para: list[str] = []
    items: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if para:
            out.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()
        if table:
            out.append(_table(table))
            table.clear()

    for line in lines:
        stripped = line.strip()
        m = _HEADING.match(stripped)
        if m:
            flush()
            level, text, anchor = len(m.group(1)), m.group(2), m.group(3)
            ident = f' id="{anchor}"' if anchor else ""
            out.append(f"<h{level}{ident}>{_inline(text)}</h{level}>")
        elif stripped == "---":
            flush()
            out.append("<hr>")
        elif stripped.startswith("|"):
            if para or items:
                flush()
            table.append(stripped)
        elif stripped.startswith("- "):
            if para or table:
                flush()
            items.append(stripped[2:])
        elif not stripped:
            flush()
        elif items and line.startswith("  "):
            items[-1] += " " + stripped  # continuation of a list item
        else:
            para.append(stripped)
    flush()
    return "\n".join(out)


@lru_cache(maxsize=1)
def methods_page(path: Path = METHODS_FILE) -> str:
    """The whole page (Swedish first, the English version below it at ``#english``)."""
    body = methods_html(path.read_text(encoding="utf-8"))
    style = ("body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
             "line-height:1.5;color:#1b1f24}table{border-collapse:collapse;margin:1rem 0}"
             "td,th{border:1px solid #c8ccd2;padding:.3rem .5rem;text-align:left;vertical-align:top}"
             "th{background:#f3f4f6}code{background:#f3f4f6;padding:0 .2rem}h2{margin-top:2rem}"
             "a{color:#0a5eb0}")
    return ("<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Metod – Lägesbild</title><style>{style}</style></head><body>"
            "<p><a href=\"/\">← Lägesbild</a> · <a href=\"#english\">English</a></p>"
            f"<main>{body}</main></body></html>")
