"""Mail leaves only with the transaction that queued it, savepoints included; HTML too."""

import email
import email.policy

from miti_training.extensions import db
from miti_training.mail import notify
from tests.support.factories import make_user


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


def test_every_mail_has_an_html_alternative_with_the_user_text_escaped(outbox):
    user = make_user(full_name="<script>alert(1)</script> & Co")
    _queue(user, "changed")
    db.session.commit()
    (message,) = outbox
    assert "<script>" in message.body
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in message.html
    assert '<html lang="en" dir="ltr">' in message.html
    assert "MITI Training" in message.html
    # Paragraphs split on blank lines, each line of the text kept.
    assert message.html.count("<p>") == message.body.strip().count("\n\n") + 1


def test_links_in_the_html_alternative_are_escaped_and_clickable(outbox):
    user = make_user()
    link = "https://testserver.example/account/confirm/abc?x=1&y=2"
    notify(user, "confirm_email", "confirm", link=link)
    db.session.commit()
    (message,) = outbox
    escaped = "https://testserver.example/account/confirm/abc?x=1&amp;y=2"
    assert f'<a href="{escaped}">{escaped}</a>' in message.html


def test_html_alternative_is_right_to_left_for_persian(outbox):
    user = make_user(preferred_language="fa")
    _queue(user, "changed")
    db.session.commit()
    (message,) = outbox
    assert '<html lang="fa" dir="rtl">' in message.html


def test_the_outbox_backend_writes_multipart_alternative_eml(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "outbox")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))
    user = make_user(full_name="Ada <b>")
    _queue(user, "changed")
    db.session.commit()
    (path,) = tmp_path.glob("*.eml")
    eml = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert eml.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in eml.iter_parts()] == ["text/plain", "text/html"]
    assert "Ada <b>" in eml.get_body(("plain",)).get_content()
    assert "Ada &lt;b&gt;" in eml.get_body(("html",)).get_content()
