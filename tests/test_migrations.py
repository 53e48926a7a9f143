"""Each service's Alembic history builds exactly the schema its tables describe: a model changed without
its migration (or branches of the history merged wrongly) fails here, not in production."""
import pytest
from alembic import command

from shared.migrations import alembic_config, drop_database
from shared.testing import Infra, migrated_database


@pytest.mark.parametrize("service", ["clients", "orders", "billing", "notifications", "stock", "identity"])
def test_the_migrations_build_the_schema_of_the_models(infra: Infra, service: str):
    url = migrated_database(infra, service, "_drift")
    try:
        command.check(alembic_config(service, url))
    finally:
        drop_database(url)
