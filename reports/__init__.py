"""Lägesbild text and exports (pure: no Dash, no store reads; ``services.reports`` gathers inputs).

- :mod:`reports.model` — the inputs (:class:`~reports.model.ReportData`), tiers and formats
- :mod:`reports.facts` — the generated 4P facts, verdicts and caveats
- :mod:`reports.suppression`, :mod:`reports.numberview` — the kommun tier's "<5" and complementary
  suppression, and every printed number
- :mod:`reports.content` — one format-free document that every renderer prints
- :mod:`reports.figures` — the server-rendered map and charts (matplotlib, offline)
- :mod:`reports.pdf`, :mod:`reports.word`, :mod:`reports.markup`, :mod:`reports.tabular` — PDF,
  DOCX, HTML/Markdown, CSV/XLSX
- ``commands/report.py`` (beside ``cli.py``) — ``cli.py report`` and ``cli.py note``
"""
