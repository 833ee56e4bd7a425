"""Index for the next new card; drop a duplicate index on attempts.

The next new card is the oldest active question a student has no card for:
(status, created_at, id) lets it walk the index and stop at the first unseen
one instead of sorting every active question, and it serves every "active
questions" filter that ix_questions_status served. ix_quiz_attempts_assignment_id
repeated the leading column of the (assignment_id, user_id) unique constraint.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 15:42:18.838847

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_status'))
        batch_op.create_index('ix_questions_status_created_at', ['status', 'created_at', 'id'], unique=False)

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_attempts_assignment_id'))


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_attempts_assignment_id'), ['assignment_id'], unique=False)

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('ix_questions_status_created_at')
        batch_op.create_index(batch_op.f('ix_questions_status'), ['status'], unique=False)
