"""Alembic for every service: one history per service under `services/<name>/migrations/`.

A service's `env.py` calls `run_migrations(Base.metadata)`; the backbone tables are part of each history.
"""
import importlib
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

from shared.db import BACKBONE_METADATA


def sync_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql+psycopg://")


def run_migrations(metadata: MetaData) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(sync_url(url))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=[metadata, BACKBONE_METADATA], compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def alembic_config(service: str, database_url: str) -> Config:
    package = importlib.import_module(service)
    migrations = Path(package.__file__).resolve().parent.parent / "migrations"
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.set_main_option("sqlalchemy.url", database_url)
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def create_database(database_url: str) -> bool:
    """Create the service's database if it does not exist; True when it was created."""
    url = make_url(sync_url(database_url))
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return not exists


def drop_database(database_url: str) -> None:
    url = make_url(sync_url(database_url))
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def upgrade(service: str, database_url: str) -> None:
    create_database(database_url)
    command.upgrade(alembic_config(service, database_url), "head")


def autogenerate(service: str, database_url: str, message: str) -> None:
    """Write a revision from the difference between the models and the history, using a scratch database."""
    scratch = str(make_url(database_url).set(database=f"colo_{service}_autogenerate"))
    drop_database(scratch)
    upgrade(service, scratch)
    try:
        command.revision(alembic_config(service, scratch), message=message, autogenerate=True)
    finally:
        drop_database(scratch)
