"""English: the English catalogue. Every key here is in ``texts/sv.py`` too (a test checks).

One table per domain, as in ``texts/sv.py``; ``MESSAGES`` is their union.
"""

#: number and date formats (``i18n``)
FORMAT: dict[str, str] = {
    "fmt.decimal": ".",
    "fmt.thousands": ",",
    "fmt.minus": "-",
    "fmt.percent": "{value}%",
}

#: the page: layout/, callbacks/, services/, commands/, cli.py, store/, security/, geodata/
PAGE: dict[str, str] = {
}

#: indicators/ and layers/
INDICATORS: dict[str, str] = {
}

#: reports/
REPORTS: dict[str, str] = {
}

SECTIONS = (FORMAT, PAGE, INDICATORS, REPORTS)
MESSAGES: dict[str, str] = {k: v for section in SECTIONS for k, v in section.items()}
