"""Mail leaves only with the transaction that queued it, savepoints included."""

from miti_training.extensions import db
from miti_training.services.notifications import notify
from tests.factories import make_user


def _queue(user, text):
    notify(user, "password_changed", text)


def test_mail_is_sent_after_commit_and_not_after_rollback(outbox):
    user = make_user()
    _queue(user, "kept")
    db.session.commit()
    _queue(user, "dropped")
    db.session.rollback()
    db.session.commit()
    assert [m.subject for m in outbox] == ["kept"]


def test_a_released_savepoint_does_not_send_before_the_real_commit(outbox):
    user = make_user()
    with db.session.begin_nested():
        _queue(user, "inside savepoint")
    assert outbox == []
    db.session.commit()
    assert [m.subject for m in outbox] == ["inside savepoint"]


def test_a_rolled_back_savepoint_drops_only_its_own_mail(outbox):
    user = make_user()
    _queue(user, "before")
    savepoint = db.session.begin_nested()
    _queue(user, "inside")
    savepoint.rollback()
    _queue(user, "after")
    db.session.commit()
    assert [m.subject for m in outbox] == ["before", "after"]
