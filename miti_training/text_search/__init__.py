"""Full-text search, the same on SQLite (FTS5) and PostgreSQL (tsvector): the query side.

A search is the words of the text (letters and digits, folded as the documents are: see
`folding`), all of them required, the last one also as the start of a longer word ("sustain"
finds "sustainable"; a Korean word finds it with its particle). Every word reaches the
database quoted as a single term, so nothing a user types is query syntax: no operators, no
syntax errors. Text without a word matches nothing.
"""

from sqlalchemy import (
    Date,
    Integer,
    String,
    column,
    false,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import TableClause

from miti_training.extensions import db
from miti_training.text_search import schema
from miti_training.text_search.folding import fold, words

__all__ = ["fold", "programme_hits", "registration_matches", "words"]

#: The language-neutral configuration: words are matched as typed, in any script.
_SIMPLE = literal_column("'simple'::regconfig")


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _fts5_query(terms: list[str]) -> str:
    """terms as an FTS5 query: each a quoted string (so never an operator), the last a prefix."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    quoted[-1] += " *"
    return " AND ".join(quoted)


def _tsquery(terms: list[str]) -> ColumnElement:
    """terms as a tsquery: the whole words through websearch_to_tsquery, each in double
    quotes so "or" or a leading "-" stay words; the last word as a prefix (term:*)."""
    *whole, last = terms
    prefix = func.to_tsquery(_SIMPLE, "'" + last.replace("'", "''").replace("\\", "\\\\") + "':*")
    if not whole:
        return prefix
    return func.websearch_to_tsquery(_SIMPLE, " ".join(f'"{w}"' for w in whole)).op("&&")(prefix)


def _fts5_hits(index: str, terms: list[str], *ranking, joined=None):
    """(id, score) of the rows of an FTS5 index matching terms; lower scores rank first.
    joined: a table with an id column to join the rows to (its columns may then be added)."""
    score = func.bm25(literal_column(index), *ranking) if ranking else literal_column("0")
    rowid = literal_column(f"{index}.rowid", Integer)
    source = table(index)
    if joined is not None:
        source = source.join(joined, joined.c.id == rowid)
    return (
        select(rowid.label("id"), score.label("score"))
        .select_from(source)
        .where(text(f"{index} MATCH :terms").bindparams(terms=_fts5_query(terms)))
    )


def _tsvector_hits(index: str, key: str, terms: list[str]):
    """(id, score) of the rows of a tsvector index matching terms; lower scores rank first."""
    document = column("document")
    query = _tsquery(terms)
    return (
        select(column(key, Integer).label("id"), (-func.ts_rank(document, query)).label("score"))
        .select_from(table(index))
        .where(document.op("@@")(query))
    )


def _programme_fields():
    """What programme_hits carries beside id and score: what the catalogue filters every
    search by (status and dates), so that a search ranks and counts its matches without the
    programmes themselves and reads whole programmes for its page only."""
    return [column("status", String), column("starts_on", Date), column("ends_on", Date)]


class _ProgrammeFacts(TableClause):
    """The programmes read through schema.PROGRAMME_FACTS: without statistics (no ANALYZE)
    SQLite would read their wide rows by primary key instead."""

    inherit_cache = True


@compiles(_ProgrammeFacts, "sqlite")
def _indexed_by(element, compiler, **kw) -> str:
    name = compiler.visit_table(element, **kw)
    return f"{name} INDEXED BY {schema.PROGRAMME_FACTS}" if kw.get("asfrom") else name


def programme_hits(text_: str):
    """Subquery (id, score, status, starts_on, ends_on) of the programmes whose document
    matches text_, or None when text_ has no word (then nothing matches). Order by score to
    put the best first.

    PostgreSQL keeps the status and dates in the index's table; on SQLite they come from a
    narrow index of the programmes (schema.PROGRAMME_FACTS), faster to read than FTS5's own
    copy of the documents or the programmes' wide rows."""
    terms = words(text_)
    if not terms:
        return None
    if _postgresql():
        hits = _tsvector_hits(schema.PROGRAMME_INDEX, "programme_id", terms)
        fields = _programme_fields()
    else:
        programmes = _ProgrammeFacts("programmes", column("id", Integer), *_programme_fields())
        weights = schema.PROGRAMME_COLUMN_WEIGHTS
        hits = _fts5_hits(schema.PROGRAMME_INDEX, terms, *weights, joined=programmes)
        fields = [field for field in programmes.c if field.name != "id"]
    return hits.add_columns(*fields).subquery("search_hits")


def registration_matches(id_column, text_: str) -> ColumnElement:
    """A condition: the registration whose id is id_column has text_ in its full name, email
    address or organisation.

    An address is matched by its words, as the coordinator reads it: "mona.elsayed@cairo.example"
    is mona, elsayed, cairo and example, so the whole address, its name part, "elsayed" or the
    domain each find it, and the last word typed may be cut short ("mona.els" finds it). A
    piece from inside a word ("sayed") is not a word and finds nothing.
    """
    terms = words(text_)
    if not terms:
        return false()
    if _postgresql():
        hits = _tsvector_hits(schema.REGISTRATION_INDEX, "registration_id", terms)
    else:
        hits = _fts5_hits(schema.REGISTRATION_INDEX, terms)
    return id_column.in_(select(hits.subquery().c.id))
