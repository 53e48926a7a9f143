"""e-mails erased with their client: erased_at, and cancelled for those not sent yet

Revision ID: 8e2b4f6a1c39
Revises: 547613ce7564
Create Date: 2026-11-25 10:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '8e2b4f6a1c39'
down_revision: str | None = '547613ce7564'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('emails', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.drop_constraint('ck_emails_known_status', 'emails', type_='check')
    op.create_check_constraint('ck_emails_known_status', 'emails', "status IN ('queued', 'sent', 'failed', 'cancelled')")


def downgrade() -> None:
    op.execute("UPDATE emails SET status = 'failed' WHERE status = 'cancelled'")
    op.drop_constraint('ck_emails_known_status', 'emails', type_='check')
    op.create_check_constraint('ck_emails_known_status', 'emails', "status IN ('queued', 'sent', 'failed')")
    op.drop_column('emails', 'erased_at')
