"""template versions operators edit, seeded with the shipped French templates; the client's language

Revision ID: 3c1f9a7e5b20
Revises: 8e2b4f6a1c39
Create Date: 2026-12-02 10:30:00.000000
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from notifications.domain.mails import MailTemplate
from notifications.mail_templates import shipped_versions

revision: str = '3c1f9a7e5b20'
down_revision: str | None = '8e2b4f6a1c39'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_TEMPLATES = ('option_confirmation', 'booking_confirmation', 'booking_refused', 'cancellation_confirmation',
                   'option_expired', 'invoice_available', 'travel_pack', 'password_reset', 'account_opened',
                   'staff_password', 'email_verification', 'welcome', 'sign_up_repeated', 'newsletter_confirmation')
"""The templates mailed before they could be edited: their shipped text becomes their first version."""


def upgrade() -> None:
    versions = op.create_table(
        'template_versions',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('template', sa.String(length=50), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('author', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_template_versions')),
        sa.UniqueConstraint('template', 'language', 'version',
                            name=op.f('uq_template_versions_template')),
    )
    op.bulk_insert(versions, shipped_versions(datetime.now(UTC), [MailTemplate(t) for t in FIRST_TEMPLATES]))
    op.add_column('contacts', sa.Column('language', sa.String(length=2), server_default='fr', nullable=False))


def downgrade() -> None:
    op.drop_column('contacts', 'language')
    op.drop_table('template_versions')
