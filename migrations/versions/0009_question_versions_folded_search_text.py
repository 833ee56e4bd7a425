"""Question versions keep their prompt and answer folded for search.

The bank's search then ignores case and accents on SQLite and PostgreSQL alike
("Caceres" finds "Cáceres"). Existing versions are folded here, with the same
function the app uses when it writes a version.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 15:50:09.494997

"""
import sqlalchemy as sa
from alembic import op

from quizapp.domain.grading import search_text

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=True))
    versions = sa.table(
        'question_versions',
        sa.column('id', sa.Integer),
        sa.column('prompt', sa.Text),
        sa.column('answer', sa.Text),
        sa.column('search_text', sa.Text),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(versions.c.id, versions.c.prompt, versions.c.answer)).all()
    if rows:
        connection.execute(
            versions.update().where(versions.c.id == sa.bindparam('version_id')).values(search_text=sa.bindparam('folded')),
            [{'version_id': row.id, 'folded': search_text(row.prompt, row.answer)} for row in rows],
        )
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.alter_column('search_text', existing_type=sa.Text(), nullable=False)


def downgrade():
    with op.batch_alter_table('question_versions', schema=None) as batch_op:
        batch_op.drop_column('search_text')
