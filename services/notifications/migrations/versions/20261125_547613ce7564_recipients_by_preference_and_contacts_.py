"""recipients by preference, contacts in copy, secrets kept out of the delivery log

Revision ID: 547613ce7564
Revises: 265716c71b73
Create Date: 2026-11-25 07:36:52.449909
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '547613ce7564'
down_revision: str | None = '265716c71b73'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('contacts', sa.Column('guardian_emails', postgresql.ARRAY(sa.String(length=320)), server_default='{}', nullable=False))
    op.add_column('contacts', sa.Column('copy_emails', postgresql.ARRAY(sa.String(length=320)), server_default='{}', nullable=False))
    op.add_column('emails', sa.Column('cc', postgresql.ARRAY(sa.String(length=320)), server_default='{}', nullable=False))
    op.add_column('emails', sa.Column('secret', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('emails', 'secret')
    op.drop_column('emails', 'cc')
    op.drop_column('contacts', 'copy_emails')
    op.drop_column('contacts', 'guardian_emails')
