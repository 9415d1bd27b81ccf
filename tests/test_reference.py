"""The README's reference section against the code: every setting, and every column of every table and
view a new warehouse has after its migrations, is listed there, with nothing listed that does not exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from conftest import ROOT

from monitor.settings import Settings
from monitor.warehouse import Warehouse


def _section(heading: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = readme.split("\n## Reference\n", 1)[1].split("\n## ", 1)[0]
    return reference.split(f"\n### {heading}\n", 1)[1].split("\n### ", 1)[0]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _shown(value: Any) -> str:
    """A default as the README writes it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{value}`"


def test_readme_lists_every_setting_with_its_variable_key_and_default():
    rows = [_cells(line) for line in _section("Settings").splitlines() if line.startswith("| `")]
    listed = {row[0].strip("`"): row for row in rows}
    assert len(listed) == len(rows), "a setting is listed twice"
    fields = Settings.model_fields
    assert set(fields) - set(listed) == set(), "settings missing from the README's reference"
    assert set(listed) - set(fields) == set(), "the README lists settings that do not exist"
    for name, field in fields.items():
        _key, variable, _type, default, meaning = listed[name]
        assert variable == f"`MONITOR_{name.upper()}`", name
        default_value = field.default_factory() if field.default_factory else field.default
        assert default == _shown(default_value), (name, default)
        assert meaning, name


def test_readme_lists_every_column_of_every_table_and_view(tmp_path: Path):
    with Warehouse.open(tmp_path / "w.duckdb") as wh:
        _, rows = wh.query(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        )
    schema: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        schema.setdefault(table, {})[column] = data_type
    documented: dict[str, dict[str, str]] = {}
    table = None
    for line in _section("Warehouse columns").splitlines():
        heading = re.match(r"#### `(\w+)`", line)
        if heading:
            table = heading.group(1)
            documented[table] = {}
        elif line.startswith("| `") and table is not None:
            column, data_type, meaning = _cells(line)
            documented[table][column.strip("`")] = data_type.strip("`")
            assert meaning, (table, column)
    assert set(schema) - set(documented) == set(), "tables or views missing from the README's reference"
    assert set(documented) - set(schema) == set(), "the README documents tables that do not exist"
    for name, columns in schema.items():
        assert documented[name] == columns, name  # every column, with its type, and no other
