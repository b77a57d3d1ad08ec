"""Svenska: the Swedish catalogue. Every key here is in ``texts/en.py`` too (a test checks).

One table per domain (so that a key belongs to the code that uses it); ``MESSAGES`` is their
union, and a test checks that no key is in two of them.
"""

NBSP = "\u00a0"

#: number and date formats (``i18n``)
FORMAT: dict[str, str] = {
    "fmt.decimal": ",",
    "fmt.thousands": NBSP,
    "fmt.minus": "−",
    "fmt.percent": "{value}" + NBSP + "%",
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
