"""Engine creation and schema upgrades. SQLite file by default, PostgreSQL when DATABASE_URL says so."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

import settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_url() -> str:
    """DATABASE_URL, or the SQLite file under the data folder."""
    url = settings.get("DATABASE_URL")
    if url:
        # Accept the usual postgres:// spelling and pick the psycopg 3 driver.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{settings.data_dir() / 'cchc.db'}"


def make_engine(url: str | None = None) -> Engine:
    """A new engine with the pragmas this project relies on."""
    url = url or default_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            # Let pysqlite not open transactions implicitly; we issue BEGIN IMMEDIATE ourselves so
            # that concurrent imports queue on the write lock instead of failing mid-way.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # noqa: ANN001
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if not url.startswith("postgresql"):
        return create_engine(url, pool_pre_ping=True)
    return _postgresql_engine(url)


KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT = 10, 3


def _postgresql_engine(url: str) -> Engine:
    """A PostgreSQL engine whose connections cannot outlive their client.

    - libpq keepalives (connect args): this side notices a server or network that vanished;
    - tcp_keepalives_* on the server's end: the server notices a client host that vanished;
    - client_connection_check_interval: while a statement runs, the server checks every few seconds
      that the client is still connected and cancels the statement when it is not (a killed import
      otherwise ran its UPDATE on to the end, holding the import lock).
    Imports add lock_timeout, statement_timeout and idle_in_transaction_session_timeout
    (store/importer.write_transaction)."""
    idle = int(float(settings.get("CCHC_PG_KEEPALIVES_IDLE_S")))
    check = int(float(settings.get("CCHC_PG_CLIENT_CHECK_S")) * 1000)
    args: dict = {"keepalives": 1}
    if idle > 0:
        args |= {"keepalives_idle": idle, "keepalives_interval": KEEPALIVE_INTERVAL_S,
                 "keepalives_count": KEEPALIVE_COUNT}
    engine = create_engine(url, pool_pre_ping=True, connect_args=args)
    session = [("client_connection_check_interval", check)]
    if idle > 0:
        session += [("tcp_keepalives_idle", idle), ("tcp_keepalives_interval", KEEPALIVE_INTERVAL_S),
                    ("tcp_keepalives_count", KEEPALIVE_COUNT)]

    @event.listens_for(engine, "connect")
    def _session(dbapi_conn, _record) -> None:  # noqa: ANN001
        with dbapi_conn.cursor() as cur:
            for name, value in session:  # names and integers of our own, no user text
                cur.execute(f"SET {name} = {int(value)}")
        dbapi_conn.commit()

    return engine


@lru_cache(maxsize=4)
def shared_engine(url: str | None = None) -> Engine:
    """One engine per URL per process (the Streamlit app shares it across sessions)."""
    engine = make_engine(url)
    upgrade(engine)
    return engine


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at our migrations, bound to `engine`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest migration."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision`, keeping the data; no-op when already there."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to `revision` (used by migration tests)."""
    command.downgrade(alembic_config(engine), revision)
