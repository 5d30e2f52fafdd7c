"""A participant's new registration in one statement, on PostgreSQL.

The programme's conditional UPDATE (seats.enter gives it), the registration's INSERT, its
audit entry and the outbox rows of its emails (rendered beforehand with marks for the id and
position, filled in by replace()) are chained in one WITH statement: the programme's row lock
is held for that one round trip and the COMMIT, with only the attaching below in between.
The row is locked inside the statement (seats._in_one_statement) before the seat is tested,
so a registration waits in the lock's queue once, seat or waiting list. Each row is
built by its own module (enrolment's values, states.record, mail's row_for) and only
written here. The statement's rows are then attached to the session as if loaded, so the
commit stores nothing more and the mail is sent after it as usual. Only the outcome foreseen
has its emails in the statement; another one gets them rendered and queued after it.
"""

from sqlalchemy import String, case, cast, func, insert, literal, null, select, true
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import make_transient_to_detached

from miti_training.extensions import db
from miti_training.mail import track
from miti_training.mail.sending import row_for
from miti_training.models import AuditEntry, OutboxMessage, Registration, RegistrationStatus
from miti_training.registrations.notifications import ID_MARK, PreparedEmails, position_marks

S = RegistrationStatus


def possible() -> bool:
    """WITH holding an UPDATE and INSERTs: PostgreSQL's, not SQLite's."""
    return db.engine.dialect.name == "postgresql"


def _typed(value, column):
    return cast(null() if value is None else literal(value, column.type), column.type)


def _row(instance, overrides: dict):
    """(column names, SELECT of the values) of an unsaved instance; overrides are SQL."""
    mapper = sa_inspect(type(instance))
    names, values = [], []
    for column in mapper.local_table.columns:
        if column.name in overrides:
            value = overrides[column.name]
        else:
            value = instance.__dict__.get(mapper.get_property_by_column(column).key)
            if value is None and (
                column.primary_key or (column.default is None and column.server_default is not None)
            ):
                continue
            if value is None and column.default is not None:
                default = column.default
                value = default.arg(None) if default.is_callable else default.arg
            value = _typed(value, column)
        names.append(column.name)
        values.append(value)
    return names, values


def _filled(text: str, column, locale: str, registration_id, position):
    """text with the id and the position (in the digits the message writes) for the marks."""
    filled = func.replace(_typed(text, column), str(ID_MARK), cast(registration_id, String))
    for mark, digits in position_marks(locale) if position is not None else ():
        written = func.translate(cast(position, String), "0123456789", digits)
        filled = func.replace(filled, mark, written)
    return filled


class InOneStatement:
    """seats.enter's place(): runs the UPDATE with everything a new registration writes."""

    def __init__(self, registration: Registration, audit: AuditEntry, emails: PreparedEmails):
        self.registration, self.audit, self.emails = registration, audit, emails

    def __call__(self, status: RegistrationStatus | None, update):
        """Run update with the INSERTs; status None: the update's `confirmed` decides."""
        placed = update.cte("placed")
        table = Registration.__table__
        if status is None:
            statuses = (S.CONFIRMED, S.WAITLISTED)
            status_sql = case((placed.c.confirmed, S.CONFIRMED.value), else_=S.WAITLISTED.value)
            position = case((placed.c.confirmed, null()), else_=placed.c.waitlist_length)
        else:
            statuses = (status,)
            status_sql = literal(status.value)
            position = placed.c.waitlist_length if status == S.WAITLISTED else null()
        names, values = _row(
            self.registration,
            {
                "status": cast(status_sql, table.c.status.type),
                "waitlist_position": position,
                "programme_id": placed.c.id,
                "user_id": _typed(self.registration.user.id, table.c.user_id),
                # When it got its place, not when the request began: the same order as ids.
                "created_at": func.clock_timestamp(),
                "updated_at": func.clock_timestamp(),
            },
        )
        registered = (
            insert(table)
            .from_select(names, select(*values).select_from(placed))
            .returning(table.c.id)
            .cte("registered")
        )
        both = registered.join(placed, true())
        names, values = _row(
            self.audit,
            {
                "registration_id": registered.c.id,
                "to_state": cast(status_sql, AuditEntry.__table__.c.to_state.type),
            },
        )
        audited = insert(AuditEntry.__table__).from_select(names, select(*values).select_from(both))
        outbox = OutboxMessage.__table__
        mails = []
        for outcome in statuses:
            where = [] if status is not None else [placed.c.confirmed == (outcome == S.CONFIRMED)]
            at = placed.c.waitlist_length if outcome == S.WAITLISTED else None
            for message in self.emails.by_status.get(outcome, ()):
                row = row_for(message)
                body = _filled(message.body, outbox.c.body, message.locale, registered.c.id, at)
                html = _filled(message.html, outbox.c.html, message.locale, registered.c.id, at)
                names, values = _row(row, {"body": body, "html": html})
                mailed = (
                    insert(outbox)
                    .from_select(names, select(*values).select_from(both).where(*where))
                    .returning(outbox.c.id)
                    .cte(f"mailed_{len(mails)}")
                )
                mails.append((outcome, message, row, mailed))
        statement = (
            select(
                registered.c.id.label("registration_id"),
                placed.c.seats_taken,
                placed.c.waitlist_length,
                placed.c.updated_at,
                (placed.c.confirmed if status is None else literal(True)).label("confirmed"),
                *(
                    select(mailed.c.id).scalar_subquery().label(f"mail_{n}")
                    for n, (_o, _m, _r, mailed) in enumerate(mails)
                ),
            )
            .select_from(both)
            .add_cte(audited.cte("audited"))
        )
        result = db.session.execute(statement).first()
        if result is not None:
            got = status or (S.CONFIRMED if result.confirmed else S.WAITLISTED)
            self._attach(got, result, [m for m in enumerate(mails) if m[1][0] == got])
            if got not in self.emails.by_status:
                # Not the outcome foreseen: no row was written for it; render it now, once.
                self.emails.queue(self.registration)
        return result

    def _attach(self, status, result, mails) -> None:
        """The rows the statement wrote, on the session as if loaded (nothing to flush)."""
        registration = self.registration
        registration.id = result.registration_id
        registration.status = status
        registration.waitlist_position = result.waitlist_length if status == S.WAITLISTED else None
        make_transient_to_detached(registration)
        db.session.add(registration)
        for n, (_outcome, message, row, _mailed) in mails:
            row.id = getattr(result, f"mail_{n}")
            make_transient_to_detached(row)
            db.session.add(row)
            track(message.id, row)
