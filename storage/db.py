"""Database engine and sessions. SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Engine,
    String,
    Table,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_MS = 5000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers and one writer work together; waiting beats 'database is locked'."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_connect(dbapi_connection, record) -> None:
    dbapi_connection.isolation_level = None   # let SQLAlchemy's BEGIN below take charge
    _sqlite_pragmas(dbapi_connection, record)


def _sqlite_begin(connection) -> None:
    """BEGIN IMMEDIATE: a turn takes the write lock before it reads the
    conversation, so two messages from one patient cannot both read the same state."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class WriterQueue:
    """SQLite's one writer at a time, queued for here (threads, then processes)
    so the lock passes to the next writer the moment a transaction ends.

    Every transaction on SQLite begins IMMEDIATE (see `_sqlite_begin`). Left to
    SQLite, a writer that finds the lock taken sleeps in its busy handler in
    steps growing to 100 ms, so under load the database sits idle while turns
    queue behind it (a p99 of seconds at 32 conversations). Waiting instead on
    a thread lock, then on an advisory lock on a file beside the database
    (tried again at most a millisecond later), hands over at once. SQLite's own
    locking still decides what is safe; this only orders the waiting. A wait
    longer than SQLite's busy timeout gives up and leaves it to SQLite, as before.
    """

    def __init__(self, path: str, wait_seconds: float = SQLITE_BUSY_MS / 1000):
        self.path, self.wait_seconds = path, wait_seconds
        self._threads = threading.RLock()       # re-entrant: a nested transaction waits
        self._depth = 0                         # for SQLite, as it always did
        self._file: int | None = None
        self._owner_pid = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        deadline = time.monotonic() + self.wait_seconds     # one wait for both locks
        if not self._threads.acquire(timeout=self.wait_seconds):
            yield                               # waited long enough: SQLite decides
            return
        try:
            self._depth += 1
            locked = self._depth == 1 and self._lock_file(deadline)
            try:
                yield
            finally:
                if locked:
                    fcntl.flock(self._file, fcntl.LOCK_UN)
                self._depth -= 1
        finally:
            self._threads.release()

    def close(self) -> None:
        if self._file is not None and self._owner_pid == os.getpid():
            os.close(self._file)
        self._file, self._owner_pid = None, 0

    def _lock_file(self, deadline: float) -> bool:
        if self._owner_pid != os.getpid():      # a forked child needs its own open file
            self._file = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._owner_pid = os.getpid()
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.001)


def writer_queue(engine: Engine):
    """A `WriterQueue` for a SQLite file; nothing to queue for otherwise."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return WriterQueue(f"{database}-writer")


class Database:
    """One engine and its session factory; `transaction()` is the unit of work."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writers = writer_queue(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._writers.turn() if self._writers else nullcontext(), \
                self.sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self._writers:
            self._writers.close()


def among(tx: Session, column, values) -> ColumnElement[bool]:
    """`column IN values` for thousands of values (an import checks a chunk at once).

    The values go as one parameter, not thousands of placeholders, which cost
    more to render, bind and parse than the lookup itself: an array on
    PostgreSQL (`= ANY(...)`), a JSON list read by `json_each` on SQLite."""
    values = list(values)
    dialect = tx.get_bind().dialect.name
    if dialect == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    if dialect == "sqlite":
        listed = func.json_each(bindparam(None, json.dumps(values), type_=String()))
        return column.in_(select(literal_column("value")).select_from(listed))
    return column.in_(values)


def bulk_insert(tx: Session, table: Table, rows: list[dict]) -> None:
    """Many rows into one table inside the caller's transaction, at the speed an
    import of 100,000 rows needs.

    Values go through the columns' own bind processing (UTC datetimes, JSON), as
    an ORM insert would, but column by column and then as plain tuples: on
    PostgreSQL (psycopg) by COPY, which takes rows about twice as fast as batched
    INSERTs; on SQLite by one DBAPI executemany, without SQLAlchemy's per-row
    parameter handling. Columns the rows leave out get their Python-side
    defaults; the primary key its sequence."""
    if not rows:
        return
    connection = tx.connection()
    dialect = connection.dialect
    if dialect.name not in ("postgresql", "sqlite") or (
            dialect.name == "postgresql" and dialect.driver != "psycopg"):
        tx.execute(insert(table), rows)
        return
    names = list(dict.fromkeys(name for row in rows for name in row))
    names += [c.name for c in table.columns
              if c.name not in names and c.default is not None and not c.primary_key]
    if dialect.name == "postgresql":
        _copy(connection, table, names, _tuples(rows, table, names, dialect))
        return
    compiled = insert(table).values({n: bindparam(n) for n in names}).compile(dialect=dialect)
    names = list(compiled.positiontup)                 # SQLite's qmark order
    connection.exec_driver_sql(str(compiled), _tuples(rows, table, names, dialect))


def _tuples(rows: list[dict], table: Table, names: list[str], dialect) -> list[tuple]:
    """The rows as tuples of bound values, in `names` order, built a column at a time."""
    return list(zip(*(_column_values(rows, table.c[name], dialect) for name in names),
                    strict=True))


def _column_values(rows: list[dict], column, dialect) -> list:
    values = [row.get(column.name, _MISSING) for row in rows]
    if any(v is _MISSING for v in values):
        default = _python_default(column)
        values = [(default() if default else None) if v is _MISSING else v for v in values]
    process = column.type._cached_bind_processor(dialect)
    if process is None:
        return values
    if isinstance(values[0], dt.datetime):     # the same few moments (the import's time,
        process = lru_cache(maxsize=1024)(process)    # a day's send time) over and over
    return list(map(process, values))


def _copy(connection, table: Table, names: list[str], tuples: list[tuple]) -> None:
    """COPY ... FROM STDIN on the session's own psycopg connection (so in its
    transaction); a database error surfaces as SQLAlchemy's, as for any insert."""
    quote = connection.dialect.identifier_preparer
    sql = (f"COPY {quote.format_table(table)} ({', '.join(quote.quote(n) for n in names)}) "
           "FROM STDIN")
    dbapi = connection.dialect.loaded_dbapi
    try:
        with connection.connection.driver_connection.cursor() as cursor, \
                cursor.copy(sql) as copy:
            for values in tuples:
                copy.write_row(values)
    except dbapi.Error as error:
        raise DBAPIError.instance(sql, None, error, dbapi.Error) from error


_MISSING = object()


def _python_default(column):
    """A column's client-side default as a no-argument callable (or None)."""
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return lambda: default.arg(None)
    if default.is_scalar:
        return lambda: default.arg
    return None
