"""merge the client record and the lifecycle branches of the clients schema

Both were written side by side from 55687821d687 and touch different tables (the lifecycle adds two
columns to clients that the record does not use).

Revision ID: 4b8e0f3c2a61
Revises: 8d6e3a66ac51, 3dfff8820598
Create Date: 2026-11-25 08:30:00
"""
from collections.abc import Sequence

revision: str = '4b8e0f3c2a61'
down_revision: tuple[str, ...] = ('8d6e3a66ac51', '3dfff8820598')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
