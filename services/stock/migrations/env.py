from shared.migrations import run_migrations
from stock.tables import Base

run_migrations(Base.metadata)
