"""Query results out of the terminal: CSV, JSON and markdown text, or files written by DuckDB's COPY.

Values are written as they are (no markup, no truncation); lists stay lists in JSON and are printed as
lists elsewhere, dates are ISO 8601.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError

TEXT_FORMATS = ("table", "csv", "json", "markdown")
FILE_FORMATS = {".csv": "csv", ".json": "json", ".parquet": "parquet"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def cell(value: Any) -> str:
    """One value as text: empty for NULL, lists as JSON lists."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """The rows as CSV, JSON (a list of objects) or a markdown table."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(v) for v in row] for row in rows)
        return out.getvalue()
    if fmt == "json":
        objects = [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":

        def md(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(md(c) for c in columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(md(cell(v)) for v in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    raise ConfigError(f"unknown format {fmt!r}; use one of {', '.join(TEXT_FORMATS)}")


def statements(sql: str) -> list[str]:
    """The statements of a text, as DuckDB splits them (semicolons inside strings stay), empty ones dropped."""
    import duckdb

    found = [s.query.strip() for s in duckdb.extract_statements(sql)]
    return [s for s in found if s.rstrip(";").strip()] or [sql]


def copy_statement(query: str, target: Path) -> str:
    """DuckDB's COPY of the query's result to a file whose extension names the format."""
    fmt = FILE_FORMATS.get(target.suffix.lower())
    if fmt is None:
        known = ", ".join([*FILE_FORMATS, ".md"])
        raise ConfigError(f"cannot tell the format of {target}: use one of {known}")
    body = query.strip().rstrip(";").strip()
    if ";" in body:
        raise ConfigError("--output takes one query (a single SELECT), not several statements")
    quoted = str(target).replace("'", "''")
    options = "FORMAT json, ARRAY true" if fmt == "json" else f"FORMAT {fmt}"
    return f"COPY ({body}) TO '{quoted}' ({options})"
