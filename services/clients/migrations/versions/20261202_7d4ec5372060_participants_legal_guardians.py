"""participants' legal guardians: which of the client's guardians answers for which participant (what a
guardian's front-office account sees)

Revision ID: 7d4ec5372060
Revises: 6a27268f2135
Create Date: 2026-12-02 08:33:52.080317
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7d4ec5372060'
down_revision: str | None = '6a27268f2135'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('participant_guardians',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('legal_guardian_id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_participant_guardians_client_id_clients')),
    sa.ForeignKeyConstraint(['legal_guardian_id'], ['legal_guardians.id'], name=op.f('fk_participant_guardians_legal_guardian_id_legal_guardians'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_participant_guardians_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_guardians')),
    sa.UniqueConstraint('participant_id', 'legal_guardian_id', name='uq_participant_guardians_participant_guardian')
    )
    op.create_index(op.f('ix_participant_guardians_client_id'), 'participant_guardians', ['client_id'], unique=False)
    op.create_index('ix_participant_guardians_legal_guardian_id', 'participant_guardians', ['legal_guardian_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_participant_guardians_legal_guardian_id', table_name='participant_guardians')
    op.drop_index(op.f('ix_participant_guardians_client_id'), table_name='participant_guardians')
    op.drop_table('participant_guardians')
