"""sender identities of the master entity and organisers, a departure's organiser, e-mails' sender and
attachments

Revision ID: 2b8f73eeccea
Revises: 3c1f9a7e5b20
Create Date: 2026-12-02 10:09:53.190046
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '2b8f73eeccea'
down_revision: str | None = '3c1f9a7e5b20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sender_identities',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organiser_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('reply_to', sa.String(length=320), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sender_identities')),
    sa.UniqueConstraint('organiser_id', 'kind', name=op.f('uq_sender_identities_organiser_id'), postgresql_nulls_not_distinct=True)
    )
    op.create_table('email_attachments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('link', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'attached', 'linked')", name=op.f('ck_email_attachments_known_status')),
    sa.ForeignKeyConstraint(['email_id'], ['emails.id'], name=op.f('fk_email_attachments_email_id_emails'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_attachments'))
    )
    op.create_index(op.f('ix_email_attachments_email_id'), 'email_attachments', ['email_id'], unique=False)
    op.add_column('departures', sa.Column('organiser_id', sa.Uuid(), nullable=True))
    op.add_column('emails', sa.Column('sender', sa.String(length=400), nullable=True))
    op.add_column('emails', sa.Column('reply_to', sa.String(length=320), nullable=True))


def downgrade() -> None:
    op.drop_column('emails', 'reply_to')
    op.drop_column('emails', 'sender')
    op.drop_column('departures', 'organiser_id')
    op.drop_index(op.f('ix_email_attachments_email_id'), table_name='email_attachments')
    op.drop_table('email_attachments')
    op.drop_table('sender_identities')
