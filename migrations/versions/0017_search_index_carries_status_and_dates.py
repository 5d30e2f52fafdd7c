"""search index carries status and dates: a search ranks and counts on the index alone

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 16:00:00.000000

PostgreSQL: programme_search gets each programme's status, starts_on and ends_on, written by
the same refresh as the document (now also when the status or a date changes), so a text
search filters, ranks and counts its matches without reading the programmes. SQLite: an
index of the programmes' ids with their status and dates, which the FTS5 search reads for its
matches instead of the programmes' rows.
"""

from alembic import op

from miti_training.text_search import schema

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_FORMER_REFRESH = """CREATE OR REPLACE FUNCTION miti_programme_search_refresh(ids integer[])
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO programme_search (programme_id, document)
    SELECT p.id,
        setweight(to_tsvector('simple', miti_search_fold(
            concat_ws(' ', p.title, tr.titles))), 'A')
        || setweight(to_tsvector('simple', miti_search_fold(
            concat_ws(' ', p.summary, tr.summaries))), 'B')
        || setweight(to_tsvector('simple', miti_search_fold(concat_ws(' ',
            p.description, tr.descriptions, c.name, ct.names, p.theme))), 'C')
    FROM programmes p
    JOIN centres c ON c.id = p.centre_id
    LEFT JOIN LATERAL (
        SELECT string_agg(t.title, ' ') AS titles, string_agg(t.summary, ' ') AS summaries,
               string_agg(t.description, ' ') AS descriptions
        FROM programme_translations t WHERE t.programme_id = p.id) tr ON true
    LEFT JOIN LATERAL (
        SELECT string_agg(n.name, ' ') AS names
        FROM centre_translations n WHERE n.centre_id = c.id) ct ON true
    WHERE p.id = ANY (ids)
    ON CONFLICT (programme_id) DO UPDATE SET document = EXCLUDED.document
$$"""

_FORMER_TRIGGER = """CREATE TRIGGER programme_search_programme AFTER INSERT OR UPDATE OF
    title, summary, description, theme, centre_id ON programmes
    FOR EACH ROW EXECUTE FUNCTION miti_programme_search_changed()"""


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if not _postgresql():
        op.execute(schema.SQLITE_PROGRAMME_FACTS)  # 0012 makes it on a database created since
        return
    op.execute(
        # 0012 creates the index as the search module describes it now: a database created
        # since has the columns already.
        f"ALTER TABLE {schema.PROGRAMME_INDEX} ADD COLUMN IF NOT EXISTS status varchar(20),"
        " ADD COLUMN IF NOT EXISTS starts_on date, ADD COLUMN IF NOT EXISTS ends_on date"
    )
    op.execute(schema.PROGRAMME_REFRESH)
    op.execute("DROP TRIGGER programme_search_programme ON programmes")
    op.execute(schema.PROGRAMME_TRIGGER)
    op.execute("SELECT miti_programme_search_refresh(ARRAY(SELECT id FROM programmes))")
    op.execute(f"ALTER TABLE {schema.PROGRAMME_INDEX} ALTER COLUMN status SET NOT NULL")


def downgrade():
    if not _postgresql():
        op.execute(f"DROP INDEX {schema.PROGRAMME_FACTS}")
        return
    op.execute("DROP TRIGGER programme_search_programme ON programmes")
    op.execute(_FORMER_TRIGGER)
    op.execute(_FORMER_REFRESH)
    op.execute(
        f"ALTER TABLE {schema.PROGRAMME_INDEX} DROP COLUMN status,"
        " DROP COLUMN starts_on, DROP COLUMN ends_on"
    )
