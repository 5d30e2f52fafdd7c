"""The search indexes and the triggers that keep them, on PostgreSQL and SQLite.

`create()` and `drop()` are used by migration 0012 and by `db.create_all()`/`drop_all()` (the
tests' schema), so both build the same thing. The indexes live outside the models' metadata:
FTS5 tables are virtual, and nothing but the triggers writes to them. Changing the documents
later means a new migration that drops and creates them again.

- programme_search: one document per programme. Titles (original and translations) weigh
  most, then summaries, then descriptions, the centre's name in every language and the theme.
  On PostgreSQL it also holds the programme's status and dates (what the catalogue filters a
  search by), so a search ranks and counts its matches on this table alone.
- registration_search: a registration's full name, email address and organisation.

SQLite drops a table's triggers with it, and refuses to rename a table another trigger
names: a later migration that rebuilds programmes, registrations, their translations or
centres in batch mode does it inside `triggers_set_aside()`.
"""

# Every statement here is built from this module's constants, never from input.
# ruff: noqa: S608

from contextlib import contextmanager

from sqlalchemy import event, text

from miti_training.text_search.folding import FOLDINGS, sql_fold

PROGRAMME_INDEX = "programme_search"
REGISTRATION_INDEX = "registration_search"
#: SQLite: what a search filters its matches by (status and dates), read beside their ids in
#: a narrow index of the programmes rather than from the programmes' wide rows.
PROGRAMME_FACTS = f"{PROGRAMME_INDEX}_facts"
SQLITE_PROGRAMME_FACTS = (
    f"CREATE INDEX IF NOT EXISTS {PROGRAMME_FACTS} ON programmes (id, status, ends_on, starts_on)"
)
_FUNCTIONS = (
    "miti_search_fold(text)",
    "miti_programme_search_refresh(integer[])",
    "miti_programme_search_changed()",
    "miti_centre_search_changed()",
    "miti_registration_search_changed()",
)


def is_search_structure(name: str | None) -> bool:
    """Whether a table belongs to the search indexes (FTS5 adds shadow tables)."""
    return bool(name) and name.startswith((PROGRAMME_INDEX, REGISTRATION_INDEX))


def include_name(name, type_, _parent_names) -> bool:
    """Alembic's filter: the models describe everything but the search indexes."""
    return not (type_ in ("table", "index") and is_search_structure(name))


def create(connection) -> None:
    """Create both indexes, their triggers, and fill them from the existing rows."""
    statements = _POSTGRESQL if connection.dialect.name == "postgresql" else _sqlite()
    for statement in statements:
        connection.execute(text(statement))


def drop(connection, *, extension: bool = False) -> None:
    """Drop what create() made (the unaccent extension too if asked)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"DROP TABLE IF EXISTS {PROGRAMME_INDEX}, {REGISTRATION_INDEX}"))
        for function in _FUNCTIONS:  # CASCADE: the triggers that call them
            connection.execute(text(f"DROP FUNCTION IF EXISTS {function} CASCADE"))
        if extension:
            connection.execute(text("DROP EXTENSION IF EXISTS unaccent"))
        return
    for name in _SQLITE_TRIGGERS:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    connection.execute(text(f"DROP TABLE IF EXISTS {PROGRAMME_INDEX}"))
    connection.execute(text(f"DROP TABLE IF EXISTS {REGISTRATION_INDEX}"))
    connection.execute(text(f"DROP INDEX IF EXISTS {PROGRAMME_FACTS}"))


@contextmanager
def triggers_set_aside(connection):
    """SQLite: drop the index triggers for a table rebuild (Alembic's batch mode), then create
    them again; the rebuild changes no indexed text. Nothing to do on PostgreSQL."""
    if connection.dialect.name != "sqlite":
        yield
        return
    for name in _SQLITE_TRIGGERS:
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    yield
    for statement in _sqlite_triggers():
        connection.execute(text(statement.removesuffix(";")))


def attach(metadata) -> None:
    """Make metadata.create_all()/drop_all() create and drop the indexes too (once)."""
    if not event.contains(metadata, "after_create", _after_create):
        event.listen(metadata, "after_create", _after_create)
        event.listen(metadata, "before_drop", _before_drop)


def _after_create(_metadata, connection, **_kw) -> None:
    drop(connection)
    create(connection)


def _before_drop(_metadata, connection, **_kw) -> None:
    drop(connection)


# PostgreSQL --------------------------------------------------------------------------------

#: The refresh of programmes' documents, with what the catalogue filters on beside the text
#: (status and dates): a search ranks and counts its matches on this table alone.
PROGRAMME_REFRESH = f"""CREATE OR REPLACE FUNCTION miti_programme_search_refresh(ids integer[])
        RETURNS void LANGUAGE sql AS $$
        INSERT INTO {PROGRAMME_INDEX} (programme_id, status, starts_on, ends_on, document)
        SELECT p.id, p.status, p.starts_on, p.ends_on,
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
        ON CONFLICT (programme_id) DO UPDATE SET status = EXCLUDED.status,
            starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on,
            document = EXCLUDED.document
    $$"""

#: What a change of a programme refreshes its document for.
PROGRAMME_TRIGGER = """CREATE TRIGGER programme_search_programme AFTER INSERT OR UPDATE OF
        title, summary, description, theme, centre_id, status, starts_on, ends_on ON programmes
        FOR EACH ROW EXECUTE FUNCTION miti_programme_search_changed()"""

_POSTGRESQL = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is only STABLE (its dictionary could change); with the dictionary named this
    # wrapper may be IMMUTABLE, the usual way. Non-alphanumerics become spaces so the parser
    # splits words as FTS5 does (an address is its words, not one "email" token).
    f"""CREATE FUNCTION miti_search_fold(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT AS $$
        SELECT regexp_replace(
            lower(public.unaccent('public.unaccent'::regdictionary, {sql_fold("value")})),
            '[^[:alnum:]]+', ' ', 'g')
    $$""",
    f"""CREATE TABLE {PROGRAMME_INDEX} (
        programme_id integer PRIMARY KEY REFERENCES programmes (id) ON DELETE CASCADE,
        status varchar(20) NOT NULL, starts_on date, ends_on date,
        document tsvector NOT NULL)""",
    f"CREATE INDEX ix_{PROGRAMME_INDEX}_document ON {PROGRAMME_INDEX} USING gin (document)",
    f"""CREATE TABLE {REGISTRATION_INDEX} (
        registration_id integer PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE,
        document tsvector NOT NULL)""",
    f"""CREATE INDEX ix_{REGISTRATION_INDEX}_document ON {REGISTRATION_INDEX}
        USING gin (document)""",
    PROGRAMME_REFRESH,
    """CREATE FUNCTION miti_programme_search_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'programmes' THEN
                PERFORM miti_programme_search_refresh(ARRAY[NEW.id]);
            ELSIF TG_OP = 'DELETE' THEN
                PERFORM miti_programme_search_refresh(ARRAY[OLD.programme_id]);
            ELSIF TG_OP = 'UPDATE' THEN
                PERFORM miti_programme_search_refresh(ARRAY[OLD.programme_id, NEW.programme_id]);
            ELSE
                PERFORM miti_programme_search_refresh(ARRAY[NEW.programme_id]);
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE FUNCTION miti_centre_search_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            centre integer;
        BEGIN
            IF TG_TABLE_NAME = 'centres' THEN
                centre := NEW.id;
            ELSIF TG_OP = 'DELETE' THEN
                centre := OLD.centre_id;
            ELSE
                centre := NEW.centre_id;
            END IF;
            PERFORM miti_programme_search_refresh(
                ARRAY(SELECT id FROM programmes WHERE centre_id = centre));
            RETURN NULL;
        END $$""",
    PROGRAMME_TRIGGER,
    """CREATE TRIGGER programme_search_translation AFTER INSERT OR UPDATE OR DELETE
        ON programme_translations FOR EACH ROW EXECUTE FUNCTION miti_programme_search_changed()""",
    """CREATE TRIGGER programme_search_centre AFTER UPDATE OF name ON centres
        FOR EACH ROW EXECUTE FUNCTION miti_centre_search_changed()""",
    """CREATE TRIGGER programme_search_centre_translation AFTER INSERT OR UPDATE OR DELETE
        ON centre_translations FOR EACH ROW EXECUTE FUNCTION miti_centre_search_changed()""",
    f"""CREATE FUNCTION miti_registration_search_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {REGISTRATION_INDEX} (registration_id, document)
            VALUES (NEW.id, to_tsvector('simple', miti_search_fold(
                concat_ws(' ', NEW.full_name, NEW.email, NEW.organisation))))
            ON CONFLICT (registration_id) DO UPDATE SET document = EXCLUDED.document;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER registration_search_registration AFTER INSERT OR UPDATE OF
        full_name, email, organisation ON registrations
        FOR EACH ROW EXECUTE FUNCTION miti_registration_search_changed()""",
    "SELECT miti_programme_search_refresh(ARRAY(SELECT id FROM programmes))",
    f"""INSERT INTO {REGISTRATION_INDEX} (registration_id, document)
        SELECT id, to_tsvector('simple', miti_search_fold(
            concat_ws(' ', full_name, email, organisation))) FROM registrations""",
)


# SQLite ------------------------------------------------------------------------------------

#: bm25() weights of the programme index's columns, in their order.
PROGRAMME_COLUMN_WEIGHTS = (10.0, 4.0, 1.0)


#: Replacements nested in one expression: SQLite's parser stack holds about thirty.
_FOLDINGS_PER_STAGE = 12


def _folded(columns: dict[str, str], source: str) -> str:
    """SELECT id and each raw column expression folded, from source (rows named r), the
    foldings applied a stage of nested replace() per subquery."""
    select = f"SELECT r.id AS id, {', '.join(f'{raw} AS {name}' for name, raw in columns.items())}"
    select += f" FROM {source}"
    for start in range(0, len(FOLDINGS), _FOLDINGS_PER_STAGE):
        stage = FOLDINGS[start : start + _FOLDINGS_PER_STAGE]
        folded = ", ".join(f"{sql_fold(name, stage)} AS {name}" for name in columns)
        select = f"SELECT id, {folded} FROM ({select})"
    return select


def _programme_rows(where: str) -> str:
    """INSERT of the documents of the programmes that satisfy where (on r, a programme)."""

    def translations(column: str) -> str:
        return (
            f"coalesce((SELECT group_concat(t.{column}, ' ') FROM programme_translations t"
            " WHERE t.programme_id = r.id), '')"
        )

    centre_names = (
        "coalesce((SELECT group_concat(n.name, ' ') FROM centre_translations n"
        " WHERE n.centre_id = r.centre_id), '')"
    )
    columns = {
        "title": f"r.title || ' ' || {translations('title')}",
        "summary": f"r.summary || ' ' || {translations('summary')}",
        "body": f"r.description || ' ' || {translations('description')} || ' ' ||"
        " coalesce((SELECT c.name FROM centres c WHERE c.id = r.centre_id), '')"
        f" || ' ' || {centre_names} || ' ' || r.theme",
    }
    return (
        f"INSERT INTO {PROGRAMME_INDEX} (rowid, title, summary, body)"
        f" {_folded(columns, f'programmes r WHERE {where}')};"
    )


def _registration_rows(where: str) -> str:
    columns = {name: f"r.{name}" for name in ("full_name", "email", "organisation")}
    return (
        f"INSERT INTO {REGISTRATION_INDEX} (rowid, full_name, email, organisation)"
        f" {_folded(columns, f'registrations r WHERE {where}')};"
    )


def _forget(index: str, where: str) -> str:
    return f"DELETE FROM {index} WHERE rowid IN ({where});"


def _refresh_programmes(ids: str) -> str:
    """Statements giving the programmes whose ids the subquery ids returns a new document."""
    return _forget(PROGRAMME_INDEX, ids) + _programme_rows(f"r.id IN ({ids})")


#: name -> (event, statements)
_SQLITE_TRIGGERS = {
    "programme_search_insert": ("AFTER INSERT ON programmes", _refresh_programmes("NEW.id")),
    "programme_search_update": (
        "AFTER UPDATE OF title, summary, description, theme, centre_id ON programmes",
        _refresh_programmes("NEW.id"),
    ),
    "programme_search_delete": (
        "AFTER DELETE ON programmes",
        _forget(PROGRAMME_INDEX, "OLD.id"),
    ),
    "programme_search_translation_insert": (
        "AFTER INSERT ON programme_translations",
        _refresh_programmes("NEW.programme_id"),
    ),
    "programme_search_translation_update": (
        "AFTER UPDATE ON programme_translations",
        _refresh_programmes("OLD.programme_id, NEW.programme_id"),
    ),
    "programme_search_translation_delete": (
        "AFTER DELETE ON programme_translations",
        _refresh_programmes("OLD.programme_id"),
    ),
    "programme_search_centre_update": (
        "AFTER UPDATE OF name ON centres",
        _refresh_programmes("SELECT id FROM programmes WHERE centre_id = NEW.id"),
    ),
    "programme_search_centre_translation_insert": (
        "AFTER INSERT ON centre_translations",
        _refresh_programmes("SELECT id FROM programmes WHERE centre_id = NEW.centre_id"),
    ),
    "programme_search_centre_translation_update": (
        "AFTER UPDATE ON centre_translations",
        _refresh_programmes(
            "SELECT id FROM programmes WHERE centre_id IN (OLD.centre_id, NEW.centre_id)"
        ),
    ),
    "programme_search_centre_translation_delete": (
        "AFTER DELETE ON centre_translations",
        _refresh_programmes("SELECT id FROM programmes WHERE centre_id = OLD.centre_id"),
    ),
    "registration_search_insert": (
        "AFTER INSERT ON registrations",
        _registration_rows("r.id = NEW.id"),
    ),
    "registration_search_update": (
        "AFTER UPDATE OF full_name, email, organisation ON registrations",
        _forget(REGISTRATION_INDEX, "NEW.id") + _registration_rows("r.id = NEW.id"),
    ),
    "registration_search_delete": (
        "AFTER DELETE ON registrations",
        _forget(REGISTRATION_INDEX, "OLD.id"),
    ),
}


def _sqlite_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {body} END"
        for name, (when, body) in _SQLITE_TRIGGERS.items()
    ]


def _sqlite() -> list[str]:
    tokenizer = "tokenize = 'unicode61 remove_diacritics 2'"
    statements = [
        f"CREATE VIRTUAL TABLE {PROGRAMME_INDEX} USING fts5(title, summary, body, {tokenizer})",
        f"CREATE VIRTUAL TABLE {REGISTRATION_INDEX}"
        f" USING fts5(full_name, email, organisation, {tokenizer})",
    ]
    statements += [SQLITE_PROGRAMME_FACTS, *_sqlite_triggers()]
    statements += [_programme_rows("1"), _registration_rows("1")]
    return [s.removesuffix(";") for s in statements]
