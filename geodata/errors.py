"""Errors for bad input: the message always names the file, and the row and column where known."""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """Invalid input file or value (CLI exit code 2).

    >>> str(InputError("a.csv", "'2024-13' is not a month (expected YYYY-MM)", row=4, column="Månad"))
    "a.csv: row 4, column 'Månad': '2024-13' is not a month (expected YYYY-MM)"
    """

    def __init__(
        self,
        file: str | Path | None,
        message: str,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.detail = message
        location = ", ".join(
            part
            for part in (
                f"row {row}" if row is not None else None,
                f"column '{column}'" if column is not None else None,
            )
            if part
        )
        prefix = ": ".join(part for part in (self.file, location) if part)
        super().__init__(f"{prefix}: {message}" if prefix else message)
