"""workflow log names who acted: the name, e-mail and role of the token with the account id (lines written before
keep only the id)

Revision ID: e6e88987f558
Revises: 860abdeb8a21
Create Date: 2026-12-02 08:35:12.653610
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e6e88987f558'
down_revision: str | None = '860abdeb8a21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('workflow_log', sa.Column('actor_name', sa.String(length=200), nullable=True))
    op.add_column('workflow_log', sa.Column('actor_email', sa.String(length=254), nullable=True))
    op.add_column('workflow_log', sa.Column('actor_role', sa.String(length=30), nullable=True))


def downgrade() -> None:
    op.drop_column('workflow_log', 'actor_role')
    op.drop_column('workflow_log', 'actor_email')
    op.drop_column('workflow_log', 'actor_name')
