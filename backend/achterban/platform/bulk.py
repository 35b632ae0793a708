"""Fast bulk inserts for imports: ids allocated up front, one statement per chunk.

PostgreSQL takes the rows through COPY (binary, no 32,767-argument limit); SQLite uses
multi-row VALUES. Building thousands of ORM objects and query strings costs
more than the database work, so imports write through here.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from piccolo.columns import (
    JSON,
    BigSerial,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from achterban.platform import db

PG_TYPES: list[tuple[type, str]] = [
    (ForeignKey, "bigint"), (BigSerial, "bigint"), (Serial, "bigint"), (Integer, "bigint"),
    (Varchar, "text"), (Text, "text"), (Boolean, "boolean"), (Date, "date"),
    (Timestamptz, "timestamptz"), (JSON, "json"),
]  # fmt: skip
SQLITE_MAX_ARGS = 30_000
_SEQUENCES: dict[str, str] = {}  # table → its id sequence, e.g. "public.person_id_seq"


_quieter = [0, 700]  # bulk jobs under way in this process that asked for fewer collections,
# and the threshold they found
GC_ALLOCATIONS = 100_000  # new containers between two runs of the youngest collection


@contextmanager
def fewer_collections() -> Iterator[None]:
    """While a bulk job runs, the cyclic garbage collector runs less often.

    A batch makes (and unpickles) hundreds of thousands of dicts, lists and records, none
    in a cycle; at Python's default (a collection every 700 new containers) collecting
    costs about as much as making them. Reference counting still frees them at once;
    cycles wait a little longer.
    """
    if _quieter[0] == 0:
        _quieter[1] = gc.get_threshold()[0]
        gc.set_threshold(max(GC_ALLOCATIONS, _quieter[1]), *gc.get_threshold()[1:])
    _quieter[0] += 1
    try:
        yield
    finally:
        _quieter[0] -= 1
        if _quieter[0] == 0:
            gc.set_threshold(_quieter[1], *gc.get_threshold()[1:])


def _pg_type(column: Any) -> str:
    for kind, name in PG_TYPES:
        if isinstance(column, kind):
            return name
    raise TypeError(f"no bulk type for {type(column).__name__}")


async def tune_transaction() -> None:
    """For a bulk transaction: plan each lookup for its own values.

    asyncpg prepares statements; PostgreSQL's generic plan for ``= ANY($1)`` is made
    from the table's statistics, which are stale while an import grows the table
    (a sequential scan chosen when it was small stays, and gets slower every batch).
    """
    if db.is_postgres():
        # Every lookup of a bulk batch has an index; statistics lag behind a growing table
        # and would make the planner scan it whole (once per batch: quadratic).
        # A batch need not wait for its own WAL flush: the job's "done" is written after
        # every batch, and WAL is replayed in order, so a crash that loses a batch loses
        # "done" too, and the retried job (matching, so idempotent) writes it again.
        # (One round trip: a batch's fixed cost is mostly its round trips.)
        await db.pg_execute(
            "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_seqscan = off; "
            "SET LOCAL synchronous_commit = off"
        )


async def allocate_ids(table: type[Table], count: int) -> list[int]:
    """Reserve ``count`` primary keys; call inside the transaction that inserts them."""
    if count == 0:
        return []
    name = table._meta.tablename
    if db.is_postgres():
        # one row holding an array: 200,000 one-value rows cost more to ship than to make
        # (and the sequence is named as a constant: looked up per value it costs 10 times more)
        rows = await db.pg_fetch(
            f"SELECT array_agg(nextval('{await sequence(table)}')) AS ids "
            "FROM generate_series(1, $1::int)",
            count,
        )
        return [int(i) for i in rows[0]["ids"]]
    row = await db.raw(f'SELECT COALESCE(MAX(id), 0) AS top FROM "{name}"')
    top = int(row[0]["top"])
    return list(range(top + 1, top + count + 1))


async def sequence(table: type[Table]) -> str:
    """The table's id sequence on PostgreSQL ("public.person_id_seq"), looked up once."""
    name = table._meta.tablename
    if name not in _SEQUENCES and db.is_postgres():
        found = await db.pg_fetch(f"SELECT pg_get_serial_sequence('{name}', 'id') AS s")
        _SEQUENCES[name] = found[0]["s"].replace("'", "")
    return _SEQUENCES.get(name, "")


def _default(column: Any) -> Any:
    value = column.get_default_value()
    return value.python() if hasattr(value, "python") else value


async def insert(table: type[Table], rows: list[dict[str, Any]]) -> None:
    """Insert rows given as column → value (missing columns get their defaults)."""
    if not rows:
        return
    present = set().union(*(row.keys() for row in rows))
    # columns no row mentions keep the database default
    columns = [c for c in table._meta.columns if c._meta.name in present]
    names = [c._meta.db_column_name for c in columns]
    defaults = [_default(c) for c in columns]
    keys = [c._meta.name for c in columns]
    matrix = [[row.get(k, d) for k, d in zip(keys, defaults, strict=True)] for row in rows]
    if db.is_postgres():
        json_columns = [i for i, c in enumerate(columns) if isinstance(c, JSON)]
        for row in matrix:
            for i in json_columns:
                if not isinstance(row[i], str):
                    row[i] = json.dumps(row[i])
    await insert_rows(table, names, matrix)


async def insert_rows(
    table: type[Table], columns: list[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows given as values in the order of ``columns`` (database column names):
    for the hottest paths, which build them so and skip the dicts."""
    if not rows:
        return
    name = table._meta.tablename
    if db.is_postgres():
        await db.pg_copy(name, columns, rows)
        return
    quoted = ", ".join(f'"{n}"' for n in columns)
    per_chunk = max(1, SQLITE_MAX_ARGS // len(columns))
    row_template = "(" + ", ".join("{}" for _ in columns) + ")"
    for start in range(0, len(rows), per_chunk):
        chunk = rows[start : start + per_chunk]
        values = ", ".join(row_template for _ in chunk)
        await db.raw(
            f'INSERT INTO "{name}" ({quoted}) VALUES {values}', *[v for r in chunk for v in r]
        )


async def update(table: type[Table], rows: list[dict[str, Any]]) -> None:
    """Update rows given as {"id": ..., column: value}; one statement per set of columns.

    PostgreSQL joins the table to arrays of the new values (``UPDATE ... FROM unnest``);
    SQLite, the small-database default, updates row by row.
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    name = table._meta.tablename
    by_name = {c._meta.name: c for c in table._meta.columns}
    for keys, group in groups.items():
        if not keys:
            continue
        names = [by_name[k]._meta.db_column_name for k in keys]
        if db.is_postgres():
            arrays = [[r["id"] for r in group]] + [[r[k] for r in group] for k in keys]
            types = ["bigint"] + [_pg_type(by_name[k]) for k in keys]
            unnest = ", ".join(f"${i}::{t}[]" for i, t in enumerate(types, start=1))
            columns = ", ".join(["id", *(f'"{n}"' for n in names)])
            sets = ", ".join(f'"{n}" = v."{n}"' for n in names)
            await db.pg_fetch(
                f'UPDATE "{name}" AS t SET {sets} FROM unnest({unnest}) AS v({columns}) '
                "WHERE t.id = v.id",
                *arrays,
            )
            continue
        sets = ", ".join(f'"{n}" = {{}}' for n in names)
        for row in group:
            await db.raw(f'UPDATE "{name}" SET {sets} WHERE id = {{}}', *[row[k] for k in keys],
                         row["id"])  # fmt: skip


async def select_in(
    table: type[Table],
    select: list[str],
    where_in: dict[str, list[Any]],
    where_sql: str = "",
) -> list[dict[str, Any]]:
    """Rows whose columns are each in the given lists (``= ANY`` on PostgreSQL).

    Large IN lists cost PostgreSQL more to plan than to run; an array parameter does not.
    ``where_sql`` is a fixed extra condition written by the caller, never user input.
    """
    if any(not values for values in where_in.values()):
        return []
    name = table._meta.tablename
    columns = ", ".join(f'"{c}"' for c in select)
    extra = f" AND {where_sql}" if where_sql else ""
    if db.is_postgres():
        types = {c._meta.name: _pg_type(c) for c in table._meta.columns}
        conditions = " AND ".join(
            f'"{col}" = ANY(${i}::{types[col]}[])' for i, col in enumerate(where_in, start=1)
        )
        return await db.pg_fetch(
            f'SELECT {columns} FROM "{name}" WHERE {conditions}{extra}', *where_in.values()
        )
    conditions = " AND ".join(
        f'"{col}" IN ({", ".join("{}" for _ in values)})' for col, values in where_in.items()
    )
    args = [v for values in where_in.values() for v in values]
    return await db.raw(f'SELECT {columns} FROM "{name}" WHERE {conditions}{extra}', *args)


async def select_tuples(
    table: type[Table],
    select: list[str],
    key: list[str],
    values: list[tuple[Any, ...]],
    where_sql: str = "",
) -> list[dict[str, Any]]:
    """Rows whose ``key`` columns equal one of the tuples (an index probe per tuple)."""
    if not values:
        return []
    name = table._meta.tablename
    columns = ", ".join(f't."{c}"' for c in select)
    extra = f" AND {where_sql}" if where_sql else ""
    if db.is_postgres():
        types = {c._meta.name: _pg_type(c) for c in table._meta.columns}
        arrays = [[v[i] for v in values] for i in range(len(key))]
        unnest = ", ".join(f"${i}::{types[k]}[]" for i, k in enumerate(key, start=1))
        on = " AND ".join(f'"{k}" = k."{k}"' for k in key)
        inner = ", ".join(f'"{c}"' for c in select)
        # LATERAL + LIMIT: one index probe per tuple, whatever the (lagging) statistics say
        sql = (
            f"SELECT {columns} FROM unnest({unnest}) AS k({', '.join(key)}) "
            f'CROSS JOIN LATERAL (SELECT {inner} FROM "{name}" WHERE {on}{extra} LIMIT 1) t'
        )
        return await db.pg_fetch(sql, *arrays)
    rows = []
    match = " AND ".join(f't."{k}" = {{}}' for k in key)
    for start in range(0, len(values), 300):
        chunk = values[start : start + 300]
        condition = " OR ".join(f"({match})" for _ in chunk)
        rows += await db.raw(
            f'SELECT {columns} FROM "{name}" t WHERE ({condition}){extra}',
            *[v for item in chunk for v in item],
        )
    return rows


async def execute_for(statements: Sequence[str], ids: Iterable[int]) -> None:
    """Run fixed statements (written by the caller, never user input) for a set of ids:
    ``{ids}`` in each stands for "is one of them" — an array parameter on PostgreSQL, IN
    lists of at most 500 on SQLite."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    if db.is_postgres():
        for sql in statements:
            await db.pg_execute(sql.replace("{ids}", "= ANY($1::integer[])"), wanted)
        return
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = f"IN ({', '.join('{}' for _ in chunk)})"
        for sql in statements:
            await db.raw(sql.replace("{ids}", marks), *chunk)
