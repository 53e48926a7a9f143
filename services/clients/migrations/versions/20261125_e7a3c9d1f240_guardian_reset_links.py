"""reset links of legal guardians' front-office accounts

Revision ID: e7a3c9d1f240
Revises: d41e7a2b9c05
Create Date: 2026-11-25 10:45:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e7a3c9d1f240'
down_revision: str | None = 'd41e7a2b9c05'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('password_resets', sa.Column('legal_guardian_id', sa.Uuid(), nullable=True))
    op.create_index(op.f('ix_password_resets_legal_guardian_id'), 'password_resets', ['legal_guardian_id'],
                    unique=False)
    op.create_foreign_key(op.f('fk_password_resets_legal_guardian_id_legal_guardians'), 'password_resets',
                          'legal_guardians', ['legal_guardian_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    op.drop_constraint(op.f('fk_password_resets_legal_guardian_id_legal_guardians'), 'password_resets',
                       type_='foreignkey')
    op.drop_index(op.f('ix_password_resets_legal_guardian_id'), table_name='password_resets')
    op.drop_column('password_resets', 'legal_guardian_id')
