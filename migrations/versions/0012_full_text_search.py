"""full-text search: programme and registration indexes kept by triggers

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 16:45:00.000000

PostgreSQL: the unaccent extension, a tsvector document per programme (titles, summaries,
descriptions of every language, the centre's names, the theme) and per registration (name,
address, organisation), GIN indexes, and triggers that rewrite a document when its rows
change. SQLite: two FTS5 tables (unicode61, diacritics removed) and the same triggers. Both
are filled from the existing rows. The statements are those create_all() runs for the
tests (miti_training.text_search.schema), so the two schemas cannot drift apart.
"""

from alembic import op

from miti_training.text_search import schema

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    schema.create(op.get_bind())


def downgrade():
    schema.drop(op.get_bind(), extension=True)
