"""manual resends: the e-mail a resend repeats and who asked for it

Revision ID: 052483a0b951
Revises: 2b8f73eeccea
Create Date: 2026-12-02 10:23:04.265006
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '052483a0b951'
down_revision: str | None = '2b8f73eeccea'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('emails', sa.Column('resent_from', sa.Uuid(), nullable=True))
    op.add_column('emails', sa.Column('resent_by', sa.String(length=200), nullable=True))
    op.create_foreign_key(op.f('fk_emails_resent_from_emails'), 'emails', 'emails', ['resent_from'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    op.drop_constraint(op.f('fk_emails_resent_from_emails'), 'emails', type_='foreignkey')
    op.drop_column('emails', 'resent_by')
    op.drop_column('emails', 'resent_from')
