"""HTML (self-contained, print-ready) and Markdown renderings of a report.

The HTML embeds the map and charts as data URIs (works offline, no external request), escapes every
text (area names, notes) and carries a print stylesheet: A4, the tier band and running header in a
table head, which browsers repeat at the top of every printed page. Markdown has the text and tables (no pictures).
"""

from __future__ import annotations

import base64
from html import escape

from reports.content import ReportContent

CSS = """
:root { --ink:#1b1b1b; --muted:#5f5f5f; --rule:#c9c9c9; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0;
       font-size: 10pt; line-height: 1.4; }
main { max-width: 180mm; margin: 0 auto; padding: 4mm 0 12mm; }
table.frame { width: 100%; max-width: 180mm; margin: 0 auto; border-collapse: collapse; }
table.frame > thead td, table.frame > tbody > tr > td { padding: 0; }
.tier { padding: 4px 12px; color: #fff; font-weight: 700; font-size: 8.5pt;
        -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.tier.police { background: #1f3a5f; } .tier.kommun { background: #1b6e3a; }
.running { color: var(--muted); font-size: 8pt; border-bottom: 1px solid var(--rule); margin-bottom: 8px; }
h1 { font-size: 19pt; margin: 6px 0 0; } h2 { font-size: 13pt; margin: 18px 0 6px; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 12px 0 4px; break-after: avoid; }
.subtitle, .muted, figcaption, .small { color: var(--muted); }
.small, figcaption { font-size: 8pt; }
table { border-collapse: collapse; width: 100%; }
table.meta td { padding: 1px 8px 1px 0; vertical-align: top; } table.meta td:first-child { font-weight: 700; width: 32mm; }
table.ind th { text-align: left; border-bottom: 1.5px solid var(--ink); font-size: 8pt; padding: 3px; }
table.ind td { font-size: 8pt; padding: 3px; vertical-align: top; }
table.ind td.num, table.ind th.num { text-align: right; white-space: nowrap; }
table.ind tr.reason td { color: var(--muted); font-size: 7.5pt; border-bottom: 1px solid var(--rule); padding-top: 0; }
table.ind tr { break-inside: avoid; }
.chip { display: inline-block; padding: 0 4px; font-weight: 700; border-radius: 2px; }
.chip.red { background: #c62828; color: #fff; } .chip.amber { background: #f2b01e; }
.chip.green { background: #2e7d32; color: #fff; } .chip.grey { background: #9e9e9e; color: #fff; }
.chip.hidden { background: #e0e0e0; }
.syn { color: #8a5a00; font-size: 6.5pt; font-weight: 700; display: block; }
.banner { background: #fff3d6; border: 1px solid #e0a526; color: #5b3b00; font-weight: 700; padding: 5px 8px; margin: 8px 0; }
.notes { background: #f3f6fa; border: 1px solid #a9bdd6; padding: 5px 8px; margin: 6px 0 6px 14px; }
.notes.internal { background: #fff4f4; border-color: #d98c8c; }
.notes blockquote { margin: 2px 0; font-style: italic; white-space: pre-wrap; }
.notehead { font-size: 7.5pt; font-weight: 700; color: var(--muted); }
figure { margin: 8px 0; break-inside: avoid; } figure img { width: 100%; }
footer { color: var(--muted); font-size: 8pt; border-top: 1px solid var(--rule); margin-top: 16px; padding-top: 4px; }
@page { size: A4; margin: 12mm 14mm 14mm; }
@media screen { table.frame > thead { position: sticky; top: 0; background: #fff; } }
@media print { main { padding-top: 2mm; } .chip, .banner, .notes { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def _img(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _html_head(content: ReportContent) -> list[str]:
    """Document head, the tier band and running header (repeated per printed page), the title
    and the identity table."""
    e = escape
    out = [f'<!doctype html><html lang="{content.lang}"><head><meta charset="utf-8">',
           f"<title>{e(content.title)} · {e(content.period_label)}</title>",
           f"<style>{CSS}</style></head><body>",
           # the tier band and running header sit in a table head: browsers repeat it on every page
           '<table class="frame"><thead><tr><td>',
           f'<div class="tier {e(content.tier)}" role="note">{e(content.tier_label)}</div>',
           f'<div class="running">{e(content.header)}</div>',
           "</td></tr></thead><tbody><tr><td><main>",
           f"<h1>{e(content.title)}</h1><div class=\"subtitle\">{e(content.subtitle)}</div>",
           '<table class="meta">']
    out += [f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in content.meta]
    out.append("</table>")
    return out


def _html_notes(section, lab: dict[str, str]) -> list[str]:
    """A section's notes in one box (shaded when any is internal)."""
    e = escape
    if not section.notes:
        return []
    internal = " internal" if any(n.internal for n in section.notes) else ""
    out = [f'<div class="notes{internal}"><div class="notehead">{e(lab["notes"].upper())}</div>']
    for n in section.notes:
        itag = f" · {e(lab['internal'])}" if n.internal else ""
        out.append(f"<blockquote>{e(n.text)}</blockquote><div class=\"small\">— {e(n.author)}, "
                   f"{n.created_at:%Y-%m-%d %H:%M}{itag}</div>")
    out.append("</div>")
    return out


def _html_summary(content: ReportContent) -> list[str]:
    """The 4P sections (priorities as an ordered list) with their notes."""
    e = escape
    out = [f"<h2>{e(content.labels['summary_heading'])}</h2>"]
    for s in content.sections:
        tag = "ol" if s.key == "prioriteringar" else "ul"
        out.append(f'<section class="p4 {e(s.key)}"><h3>{e(s.title)}</h3><{tag}>')
        for f in s.facts:
            text = f.text
            if s.key == "prioriteringar":
                head, _, rest = text.partition(" ")
                text = rest if head.endswith(".") and head[:-1].isdigit() else text
            out.append(f"<li>{e(text)}</li>")
        out.append(f"</{tag}>")
        out += _html_notes(s, content.labels)
        out.append("</section>")
    return out


def _html_figures(content: ReportContent) -> list[str]:
    """The map and the charts as data URIs with their captions."""
    e = escape
    out = []
    if content.map_png:
        out.append(f"<h2>{e(content.labels['map'])}</h2><figure><img alt=\"{e(content.map_caption)}\" "
                   f"src=\"{_img(content.map_png)}\"><figcaption>{e(content.map_caption)}</figcaption></figure>")
    if content.chart_png:
        out.append(f"<h2>{e(content.chart_title)}</h2><figure><img alt=\"{e(content.chart_caption)}\" "
                   f"src=\"{_img(content.chart_png)}\"><figcaption>{e(content.chart_caption)}</figcaption></figure>")
    return out


def _html_table(content: ReportContent) -> list[str]:
    """The indicator table (a reason line under a row that has one) and the note on rows left out."""
    e = escape
    lab = content.labels
    out = [f"<h2>{e(lab['table'])}</h2><table class=\"ind\"><thead><tr>"]
    last = len(content.columns) - 1
    num = ' class="num"'
    out += [f"<th{num if 0 < k < last else ''}>{e(c)}</th>" for k, c in enumerate(content.columns)]
    out.append("</tr></thead><tbody>")
    kommun = content.tier == "kommun"
    for r in content.rows:
        syn = f'<span class="syn">{e(lab["synthetic_tag"])}</span>' if r.synthetic else ""
        nums = [r.value, r.reference, r.change] + ([] if kommun else [r.p])
        out.append(f'<tr data-indicator="{e(r.id)}"><td>{e(r.name)}{syn}</td>'
                   + "".join(f'<td class="num">{e(v)}</td>' for v in nums)
                   + f'<td><span class="chip {e(r.rag)}">{e(r.rag_text)}</span> {e(r.verdict)}</td></tr>')
        if r.reason:
            out.append(f'<tr class="reason"><td colspan="{len(content.columns)}">{e(r.reason)}</td></tr>')
    out.append("</tbody></table>")
    if content.small_note:  # the indicators with no figure to show, named once
        out.append(f"<p>{e(content.small_note)}</p>")
    return out


def _html_closing(content: ReportContent) -> list[str]:
    """Hypothesis checks, the hotspot method, method notes, sources and the footer."""
    e = escape
    lab = content.labels
    out = []
    if content.hypotheses:
        out.append(f"<h3>{e(lab['hypotheses'])}</h3><ul>")
        out += [f"<li>{e(h)}</li>" for h in content.hypotheses]
        out.append("</ul>")
    if content.method_rows or content.hotspot_lines:
        out.append(f"<h3>{e(lab['hotspots'])}: {e(lab['method'].lower())}</h3>")
        out += [f"<p>{e(line)}</p>" for line in content.hotspot_lines]
        if content.method_rows:
            out.append('<table class="meta small">')
            out += [f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in content.method_rows]
            out.append("</table>")
    out.append(f"<h3>{e(lab['method_notes'])}</h3><ul class=\"small\">")
    out += [f"<li>{e(m)}</li>" for m in content.method_notes]
    out.append(f"</ul><h3>{e(lab['sources'])}</h3><ul class=\"small\">")
    out += [f"<li>{e(s)}</li>" for s in content.sources]
    out.append(f"</ul><footer>{e(content.footer)} · {e(content.tier_short)}</footer></main>"
               "</td></tr></tbody></table></body></html>")
    return out


def render_html(content: ReportContent) -> str:
    """A self-contained HTML page of the report."""
    e = escape
    out = _html_head(content)
    if content.synthetic_banner:
        out.append(f'<div class="banner">{e(content.synthetic_banner)}</div>')
    out += _html_summary(content)
    if content.footnote:  # the method behind the plain words (kommun tier)
        out.append(f'<p class="small footnote">{e(content.footnote)}</p>')
    if content.caveats:
        out.append(f"<h3>{e(content.labels['caveats'])}</h3><ul class=\"small\">")
        out += [f"<li>{e(c)}</li>" for c in content.caveats]
        out.append("</ul>")
    out += _html_figures(content)
    out += _html_table(content)
    out += _html_closing(content)
    return "\n".join(out)


def _md(text: str) -> str:
    """Escape Markdown table/emphasis characters in running text."""
    out = str(text)
    for ch in ("\\", "|", "*", "_", "`", "<", ">", "[", "]"):
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")


def render_markdown(content: ReportContent) -> str:
    """A Markdown version (text and tables; the map and charts are in the PDF/DOCX/HTML)."""
    lab = content.labels
    m = _md
    out = [f"> **{m(content.tier_label)}**", "", f"# {m(content.title)}", "", m(content.subtitle), ""]
    out += [f"- **{m(k)}:** {m(v)}" for k, v in content.meta]
    out.append("")
    if content.synthetic_banner:
        out += [f"> ⚠ {m(content.synthetic_banner)}", ""]
    out += [f"## {m(lab['summary_heading'])}", ""]
    for s in content.sections:
        out += [f"### {m(s.title)}", ""]
        for f in s.facts:
            if s.key == "prioriteringar":
                head, _, rest = f.text.partition(" ")
                if head.endswith(".") and head[:-1].isdigit():
                    out.append(f"{head} {m(rest)}")
                    continue
            out.append(f"- {m(f.text)}")
        if s.notes:
            out += ["", f"**{m(lab['notes'])}**", ""]
            for n in s.notes:
                tag = f" · {lab['internal']}" if n.internal else ""
                out.append(f"> {m(n.text)}  \n> — {m(n.author)}, {n.created_at:%Y-%m-%d %H:%M}{tag}")
                out.append("")
        out.append("")
    if content.footnote:
        out += [m(content.footnote), ""]
    if content.caveats:
        out += [f"### {m(lab['caveats'])}", ""] + [f"- {m(c)}" for c in content.caveats] + [""]
    out += [f"## {m(lab['table'])}", ""]
    cols = list(content.columns) + [lab["col_reason"]]
    out.append("| " + " | ".join(m(c) for c in cols) + " |")
    out.append("|" + "|".join(["---"] + ["---:"] * (len(content.columns) - 2) + ["---", "---"]) + "|")
    kommun = content.tier == "kommun"
    for r in content.rows:
        name = r.name + (f" ({lab['synthetic_tag']})" if r.synthetic else "")
        nums = [r.value, r.reference, r.change] + ([] if kommun else [r.p])
        cells = [name, *nums, f"{r.rag_text}: {r.verdict}", r.reason]
        out.append("| " + " | ".join(m(c) for c in cells) + " |")
    out.append("")
    if content.small_note:
        out += [m(content.small_note), ""]
    if content.hypotheses:
        out += [f"### {m(lab['hypotheses'])}", ""] + [f"- {m(h)}" for h in content.hypotheses] + [""]
    if content.method_rows:
        out += [f"### {m(lab['hotspots'])}: {m(lab['method'].lower())}", ""]
        out += [f"- **{m(k)}:** {m(v)}" for k, v in content.method_rows] + [""]
    out += [f"### {m(lab['method_notes'])}", ""] + [f"- {m(x)}" for x in content.method_notes] + [""]
    out += [f"### {m(lab['sources'])}", ""] + [f"- {m(s)}" for s in content.sources] + [""]
    out += ["---", f"{m(content.footer)} · {m(content.tier_short)}", ""]
    return "\n".join(out)
