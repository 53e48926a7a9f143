"""organisers settings version

Revision ID: 5e1f0c7a9b3d
Revises: 3068df9e1c43
Create Date: 2026-12-02 10:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5e1f0c7a9b3d'
down_revision: str | None = '3068df9e1c43'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('organisers', sa.Column('version', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    op.drop_column('organisers', 'version')
