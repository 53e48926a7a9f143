"""bounces: addresses that came back for good, and e-mails held for them

Revision ID: 0ed462845f91
Revises: 2b14041a1d3c
Create Date: 2026-12-02 10:37:39.693573
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0ed462845f91'
down_revision: str | None = '2b14041a1d3c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('invalid_addresses',
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('email_id', sa.Uuid(), nullable=True),
    sa.Column('bounced_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('address', name=op.f('pk_invalid_addresses'))
    )
    op.drop_constraint('ck_emails_known_status', 'emails', type_='check')
    op.create_check_constraint('ck_emails_known_status', 'emails',
                               "status IN ('queued', 'sent', 'failed', 'cancelled', 'held')")


def downgrade() -> None:
    op.execute("UPDATE emails SET status = 'failed' WHERE status = 'held'")
    op.drop_constraint('ck_emails_known_status', 'emails', type_='check')
    op.create_check_constraint('ck_emails_known_status', 'emails', "status IN ('queued', 'sent', 'failed', 'cancelled')")
    op.drop_table('invalid_addresses')
