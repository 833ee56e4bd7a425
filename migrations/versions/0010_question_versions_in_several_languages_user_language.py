"""Question versions in several languages; a user's chosen language.

A version keeps the language of its wording and the same question in other
languages (JSON, by language), so one question id serves every language.
Existing versions are English; existing users follow their browser.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:18:21.127408

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.Enum('en', 'es', name='language', native_enum=False, length=20), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('translations', sa.JSON(), server_default='{}', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.Enum('en', 'es', name='language', native_enum=False, length=20), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')

    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.drop_column('translations')
        batch_op.drop_column('language')

