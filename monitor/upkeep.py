"""Keeping the warehouse sound: an integrity check and a backup, both read-only and waiting for a pass.

DuckDB has no integrity-check statement, but it verifies a checksum on every block it reads: reading
every row of every table in full is the check. Index blocks are read only by lookups that pass through
them, so damage there shows in a pass (as WarehouseDamaged), not here; a backup restored with IMPORT
DATABASE rebuilds every index. What the file should hold is built from the shipped migrations and views
in memory, so nothing here restates the schema.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from monitor.errors import WarehouseDamaged, WarehouseError
from monitor.warehouse import (
    RESTORE_HINT,
    connect,
    migrate,
    one_line,
    shipped_migrations,
    storage_failure,
)


@dataclass
class CheckReport:
    """What `monitor check` found: rows per table read in full, and one line per problem."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    migrations: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)  # what to do, once however many problems call for it

    def advise(self, line: str) -> None:
        if line not in self.advice:
            self.advice.append(line)

    @property
    def healthy(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Schema:
    tables: dict[str, list[str]]  # table -> column names
    views: list[str]


def expected_schema() -> Schema:
    """The tables, columns and views this version's migrations and views.sql make, in an empty database."""
    con = duckdb.connect(":memory:")
    try:
        migrate(con)
        return _schema(con)
    finally:
        con.close()


def _schema(con: duckdb.DuckDBPyConnection) -> Schema:
    tables: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal "
        "AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main') "
        "ORDER BY table_name, column_index"
    ).fetchall():
        tables.setdefault(table, []).append(column)
    views = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal ORDER BY view_name"
    ).fetchall()
    return Schema(tables, [v[0] for v in views])


def check(path: Path, lock_timeout: float = 60.0) -> CheckReport:
    """Read the warehouse in full, read-only: every table scanned (DuckDB verifies each block's checksum),
    every expected table, column and view present, the migrations applied those this version ships.
    A file that cannot be opened raises WarehouseError; what is wrong inside is listed in `problems`."""
    expected = expected_schema()
    report = CheckReport(path)
    con = connect(path, read_only=True, lock_timeout=lock_timeout)
    try:
        try:
            found = _schema(con)
        except duckdb.Error as exc:
            raise storage_failure(exc, path, own_sql=True) or WarehouseError(
                f"cannot list the tables of warehouse {path} ({one_line(exc)})"
            ) from exc
        _check_migrations(con, found, report)
        for table, columns in expected.tables.items():
            if table not in found.tables:
                report.problems.append(f"table {table} is missing")
                report.advise(_rebuild(path))
                continue
            lacking = [c for c in columns if c not in found.tables[table]]
            if lacking:
                report.problems.append(f"table {table} lacks column(s) {', '.join(lacking)}")
                report.advise(_rebuild(path))
        for table in found.tables:
            _read_in_full(con, table, report)
        for view in expected.views:
            if view not in found.views:
                report.problems.append(f"view {view} is missing")
                report.advise("the next `monitor run` recreates missing views and applies missing migrations")
                continue
            try:
                con.execute(f"SELECT count(*) FROM {_ident(view)}").fetchone()
            except duckdb.Error as exc:
                report.problems.append(f"view {view} fails ({one_line(exc)})")
                if isinstance(storage_failure(exc, path, own_sql=True), WarehouseDamaged):
                    report.advise(f"warehouse {path} is damaged: {RESTORE_HINT}")
            else:
                report.views.append(view)
    finally:
        con.close()
    return report


def _rebuild(path: Path) -> str:
    return f"warehouse {path} does not have the schema the shipped migrations make: {RESTORE_HINT}"


def _check_migrations(con: duckdb.DuckDBPyConnection, found: Schema, report: CheckReport) -> None:
    shipped = {int(f.name[:3]): f.name for f in shipped_migrations()}
    if "schema_migrations" not in found.tables:
        return  # reported with the other missing tables
    try:
        applied = dict(con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall())
    except duckdb.Error as exc:
        _unreadable("schema_migrations", exc, report)
        return
    report.migrations = [applied[v] for v in sorted(applied)]
    for version, name in sorted(shipped.items()):
        if version not in applied:
            report.problems.append(f"migration {name} is not applied")
            report.advise("the next `monitor run` recreates missing views and applies missing migrations")
        elif applied[version] != name:
            report.problems.append(f"migration {version:03d} is recorded as {applied[version]}, shipped as {name}")
            report.advise(_rebuild(report.path))
    for version in sorted(set(applied) - set(shipped)):
        report.problems.append(f"migration {applied[version]} is recorded but not shipped with this version")
        report.advise("a newer monitor wrote this warehouse: use that version")


def _read_in_full(con: duckdb.DuckDBPyConnection, table: str, report: CheckReport) -> None:
    """Count the rows and hash every value: no column is skipped, so every block of the table is read."""
    if table in report.unreadable:
        return
    try:
        row = con.execute(f"SELECT count(*), bit_xor(hash(whole_row)) FROM {_ident(table)} AS whole_row").fetchone()
    except duckdb.Error as exc:
        _unreadable(table, exc, report)
        return
    report.counts[table] = row[0] if row else 0


def _unreadable(table: str, exc: duckdb.Error, report: CheckReport) -> None:
    report.unreadable.append(table)
    report.problems.append(f"table {table} cannot be read in full ({one_line(exc)})")
    if isinstance(storage_failure(exc, report.path, own_sql=True), WarehouseDamaged):
        report.advise(f"warehouse {report.path} is damaged: {RESTORE_HINT}")


def backup(path: Path, dest: Path, lock_timeout: float = 60.0) -> dict[str, int]:
    """Export the warehouse into `dest`, a new or empty folder: schema.sql, load.sql and one Parquet file per
    table, read-only while waiting for a pass like any reader. `IMPORT DATABASE` restores it (README,
    "Backup and repair"). Returns the rows per table exported."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise WarehouseError(f"backup folder {dest} exists and is not empty: name a new folder")
    created = not dest.exists()
    quoted = str(dest).replace("'", "''")  # EXPORT takes no parameters
    try:
        dest.mkdir(parents=True, exist_ok=True)
        con = connect(path, read_only=True, lock_timeout=lock_timeout)
        try:
            counts = {table: _count(con, table) for table in _schema(con).tables}
            con.execute(f"EXPORT DATABASE '{quoted}' (FORMAT parquet)")
        finally:
            con.close()
    except BaseException as exc:
        _discard(dest, created)  # half a backup must not pass for one
        if isinstance(exc, OSError) or (isinstance(exc, duckdb.Error) and str(dest) in str(exc)):
            raise WarehouseError(f"backup into {dest} failed ({one_line(exc)})") from exc
        if isinstance(exc, duckdb.Error):
            raise storage_failure(exc, path) or WarehouseError(
                f"backup of warehouse {path} failed ({one_line(exc)})"
            ) from exc
        raise
    return counts


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {_ident(table)}").fetchone()
    return row[0] if row else 0


def _ident(name: str) -> str:
    """A name from DuckDB's catalog as a quoted identifier (names cannot be query parameters)."""
    return '"' + name.replace('"', '""') + '"'


def _discard(dest: Path, created: bool) -> None:
    if created:
        shutil.rmtree(dest, ignore_errors=True)
    elif dest.is_dir():  # it was empty: all it holds now is ours
        for child in dest.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
