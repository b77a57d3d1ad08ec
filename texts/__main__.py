"""``python -m texts``: write ``assets/_texts.js`` from the catalogue."""

from pathlib import Path

from texts import JS_PATH, js_source

path = Path(__file__).resolve().parents[1] / JS_PATH
path.write_text(js_source(), encoding="utf-8")
print(f"wrote {JS_PATH}")
