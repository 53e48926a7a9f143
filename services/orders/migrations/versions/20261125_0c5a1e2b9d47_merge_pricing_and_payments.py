"""merge the pricing and the payments branches of the orders schema

Both were written side by side from 1f173d09a18b and touch different tables.

Revision ID: 0c5a1e2b9d47
Revises: bf52aa967f23, e7b3917a69a6
Create Date: 2026-11-25 08:10:00
"""
from collections.abc import Sequence

revision: str = '0c5a1e2b9d47'
down_revision: tuple[str, ...] = ('bf52aa967f23', 'e7b3917a69a6')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
