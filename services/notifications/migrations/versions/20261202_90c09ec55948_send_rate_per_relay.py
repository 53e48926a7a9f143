"""send rate per relay: e-mails indexed by when they were sent, counted each sending round

Revision ID: 90c09ec55948
Revises: 0ed462845f91
Create Date: 2026-12-02 10:42:17.747734
"""
from collections.abc import Sequence

from alembic import op

revision: str = '90c09ec55948'
down_revision: str | None = '0ed462845f91'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f('ix_emails_sent_at'), 'emails', ['sent_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_emails_sent_at'), table_name='emails')
