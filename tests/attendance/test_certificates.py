"""Certificates of attendance: the completion rule at its edges, issuing, revoking and issuing
again (audited), bulk issue, the PDF's text in several scripts, the public verification page,
the participant's download, other centres' staff and hostile codes, over real HTTP and a real
database.

Which role may use which route is tested for every route in test_authorization_matrix.py
(tables in tests/support/routes.py).
"""

import io
import re
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import func, select

from miti_training.attendance import certificate_pdf
from miti_training.attendance import certificates as service
from miti_training.attendance.completion import completion_for
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db as _db
from miti_training.extensions import limiter
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    ProgrammeStatus,
    RegistrationStatus,
)
from tests.support.audit import audit_entries
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, field_errors, flashes, follow, text_of
from tests.support.sql import recorded_statements
from tests.support.sql import statements_for as _statements_for
from tests.support.testdata import hostile_strings, officials

P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


@pytest.fixture(autouse=True)
def fresh_limits():
    """The verification page's rate limit counts from zero in every test."""
    limiter.reset()
    yield
    limiter.reset()


def _finished(centre, sessions: int = 4, threshold: int = 80, **kw):
    """A published programme whose sessions all ended (it started 10 days ago)."""
    return make_programme(
        centre,
        sessions=sessions,
        completion_threshold=threshold,
        starts_on=kw.pop("starts_on", date.today() - timedelta(days=10)),
        title=kw.pop("title", "Sustainable mobility study visit"),
        **kw,
    )


def _participant(programme, marks=(), user=None, **kw):
    """A confirmed registration with one attendance mark per session, in session order."""
    registration = make_registration(programme, user or make_user(**kw))
    for session, status in zip(programme.sessions, marks, strict=False):
        _db.session.add(Attendance(registration=registration, session=session, status=status))
    _db.session.flush()
    return registration


def _pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.fixture
def seoul(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    other = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    return {
        "centre": centre,
        "other": other,
        "programme": _finished(centre),
        "coordinator": make_staff(centre, "coordinator"),
        "other_coordinator": make_staff(other, "coordinator"),
        "other_director": make_staff(other, "director"),
    }


# The completion rule -------------------------------------------------------------------------


def _completed(programme) -> dict[str, tuple[int, int, int, bool]]:
    return {
        row.registration.full_name: (row.present, row.total, row.percent, row.completed)
        for row in completion_for(programme)
    }


def test_completion_at_the_threshold_boundary(seoul):
    programme = seoul["programme"]  # 4 sessions, 80%
    _participant(programme, (P, P, P, P), full_name="All four")
    _participant(programme, (P, P, P, A), full_name="Three of four")
    _participant(programme, (), full_name="No marks")
    assert _completed(programme) == {
        "All four": (4, 4, 100, True),
        "Three of four": (3, 4, 75, False),
        "No marks": (0, 4, 0, False),
    }
    programme.completion_threshold = 75
    _db.session.flush()
    assert _completed(programme)["Three of four"] == (3, 4, 75, True)


def test_the_rule_uses_exact_fractions_not_rounded_percentages(seoul):
    programme = _finished(seoul["centre"], sessions=3, threshold=67)
    _participant(programme, (P, P, A), full_name="Two of three")  # 66.67%
    assert _completed(programme)["Two of three"] == (2, 3, 66, False)
    programme.completion_threshold = 66
    _db.session.flush()
    assert _completed(programme)["Two of three"] == (2, 3, 66, True)


def test_an_excused_absence_counts_as_not_present(seoul):
    """The certificate attests attendance: an excused participant did not attend."""
    programme = seoul["programme"]
    _participant(programme, (P, P, P, E), full_name="Excused once")
    assert _completed(programme)["Excused once"] == (3, 4, 75, False)


def test_only_confirmed_participants_and_this_programmes_sessions_count(seoul):
    programme = seoul["programme"]
    other = _finished(seoul["centre"], sessions=4)
    waitlisted = _participant(programme, (P, P, P, P), full_name="Waitlisted")
    waitlisted.status = RegistrationStatus.WAITLISTED
    registration = _participant(programme, (P, P, P), full_name="Stray mark")
    # A mark on another programme's session (a data error) never raises the share.
    _db.session.add(Attendance(registration=registration, session=other.sessions[0], status=P))
    _db.session.flush()
    assert _completed(programme) == {"Stray mark": (3, 4, 75, False)}


def test_a_programme_without_sessions_has_nobody_completing(seoul):
    programme = _finished(seoul["centre"], sessions=0)
    registration = _participant(programme, (), full_name="Nobody")
    assert _completed(programme) == {"Nobody": (0, 0, 0, False)}
    with pytest.raises(DomainError, match="no sessions"):
        service.issue(registration, actor=seoul["coordinator"])
    with pytest.raises(DomainError):
        service.bulk_issue(programme, actor=seoul["coordinator"])


# Issuing and revoking ------------------------------------------------------------------------


def test_issue_revoke_and_issue_again_with_audit_entries(seoul, outbox):
    programme, coordinator = seoul["programme"], seoul["coordinator"]
    user = make_user(full_name="Mona El-Sayed", preferred_language="fr")
    registration = _participant(programme, (P, P, P, P), user=user)

    first = service.issue(registration, actor=coordinator)
    assert CODE.match(first.code)
    assert (first.full_name, first.attendance_percent) == ("Mona El-Sayed", 100)
    assert first.issued_by_id == coordinator.id
    [entry] = audit_entries("certificate.issue")
    assert (entry.registration_id, entry.programme_id, entry.actor_id, entry.to_state) == (
        registration.id,
        programme.id,
        coordinator.id,
        first.code,
    )

    with pytest.raises(service.AlreadyIssued) as refused:
        service.issue(registration, actor=coordinator)
    assert refused.value.certificate.id == first.id
    with pytest.raises(FieldError):
        service.revoke(first, actor=coordinator, reason="   ")
    assert first.revoked_at is None

    service.revoke(first, actor=coordinator, reason="Name misspelt")
    assert first.is_revoked and first.revoked_by_id == coordinator.id
    [entry] = audit_entries("certificate.revoke")
    assert (entry.reason, entry.from_state) == ("Name misspelt", first.code)
    with pytest.raises(DomainError, match="already been revoked"):
        service.revoke(first, actor=coordinator, reason="Twice")

    second = service.issue(registration, actor=coordinator)
    assert second.code != first.code and CODE.match(second.code)
    assert len(audit_entries("certificate.issue")) == 2
    assert service.valid_certificate(registration).id == second.id

    _db.session.commit()
    assert [m.to for m in outbox] == [user.email, user.email]
    assert f"/certificates/{second.code}" in outbox[1].body
    assert f"/my/registrations/{registration.id}/certificate.pdf" in outbox[1].body


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("waitlisted", "confirmed participants"),
        ("not_completed", "attended 3 of 4 sessions"),
        ("draft", "published or completed"),
        ("cancelled", "published or completed"),
        ("not_ended", "last session has ended"),
    ],
)
def test_issue_is_refused_with_a_clear_reason(seoul, case, message):
    centre = seoul["centre"]
    programme = seoul["programme"]
    marks = (P, P, P, A) if case == "not_completed" else (P, P, P, P)
    if case == "not_ended":
        programme = _finished(centre, sessions=2, starts_on=date.today())
    registration = _participant(programme, marks)
    if case == "waitlisted":
        registration.status = RegistrationStatus.WAITLISTED
    if case in ("draft", "cancelled"):
        programme.status = ProgrammeStatus(case)
    _db.session.flush()
    with pytest.raises(DomainError, match=message):
        service.issue(registration, actor=seoul["coordinator"])
    assert _db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    assert audit_entries("certificate.issue") == []


def test_a_completed_programme_issues_even_before_its_last_session_ends(seoul):
    programme = _finished(seoul["centre"], sessions=2, starts_on=date.today())
    programme.status = ProgrammeStatus.COMPLETED
    registration = _participant(programme, (P, P))
    assert service.issue(registration, actor=seoul["coordinator"]).code


def test_bulk_issue_counts_and_leaves_existing_certificates_alone(seoul):
    programme, coordinator = seoul["programme"], seoul["coordinator"]
    done = [_participant(programme, (P, P, P, P)) for _ in range(3)]
    _participant(programme, (P, P, P, A))
    _participant(programme, (P, A, E, A))
    already = service.issue(done[0], actor=coordinator)
    assert service.bulk_issue(programme, actor=coordinator) == 2
    assert service.bulk_issue(programme, actor=coordinator) == 0
    certificates = list(_db.session.scalars(select(Certificate)))
    assert sorted(c.registration_id for c in certificates) == sorted(r.id for r in done)
    assert len({c.code for c in certificates}) == 3
    assert already.revoked_at is None
    assert len(audit_entries("certificate.issue")) == 3


def test_bulk_issue_runs_a_constant_number_of_queries_besides_inserts(app, seoul):
    counts = []
    for n in (2, 12):
        programme = _finished(seoul["centre"])
        for _ in range(n):
            _participant(programme, (P, P, P, P))
        _db.session.flush()
        _db.session.expire_all()
        with recorded_statements(app) as statements:
            service.bulk_issue(programme, actor=seoul["coordinator"])
        counts.append(len([s for s in statements if not s.lstrip().upper().startswith("INSERT")]))
    assert counts[0] == counts[1], counts


def test_codes_are_read_in_any_case_with_or_without_dashes():
    assert service.normalise_code("abcd efgh jkmn") == "ABCD-EFGH-JKMN"
    assert service.normalise_code("0I1L-OOOO-2345") == "0111-0000-2345"
    for bad in (
        "",
        "ABCD-EFGH-JKM",
        "ABCD-EFGH-JKMNP",
        "ABCD-EFGH-JKMU",
        "NOTAVALIDCODE",
        "x" * 99,
    ):
        assert service.normalise_code(bad) is None


# The PDF -------------------------------------------------------------------------------------


def _people(script: str) -> dict[str, str]:
    """The first official of officials.csv whose name is in the script."""
    ranges = {"arabic": ("\u0600", "\u06ff"), "hangul": ("\uac00", "\ud7af")}
    low, high = ranges[script]
    return next(o for o in officials() if any(low <= ch <= high for ch in o["full_name"]))


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("Mona El-Sayed", "en"),
        (_people("arabic")["full_name"], "ar"),
        ("زهرا احمدی", "fa"),
        (_people("hangul")["full_name"], "ko"),
    ],
)
def test_the_pdf_shows_name_programme_and_code_in_every_script(seoul, name, language):
    registration = _participant(
        seoul["programme"], (P, P, P, P), full_name=name, preferred_language=language
    )
    certificate = service.issue(registration, actor=seoul["coordinator"])
    text = _pdf_text(certificate_pdf.render_pdf(certificate, language))
    assert name in text
    assert "Sustainable mobility study visit" in text
    assert certificate.code in text
    assert "MITI Headquarters Seoul".upper() in text.upper()


def test_the_pdf_is_right_to_left_in_arabic_and_persian(seoul):
    registration = _participant(seoul["programme"], (P, P, P, P))
    certificate = service.issue(registration, actor=seoul["coordinator"])
    assert 'dir="rtl"' in certificate_pdf.certificate_html(certificate, "fa")
    assert 'dir="ltr"' in certificate_pdf.certificate_html(certificate, "ko")
    html = certificate_pdf.certificate_html(certificate, "en")
    assert '<bdi dir="auto">' in html
    # Only data: URIs: nothing is fetched while rendering.
    assert re.findall(r'src="([a-z]+):', html) == ["data"]
    assert "http://testserver.example/certificates/" + certificate.code in html


def test_the_pdf_never_fetches_from_the_network(seoul):
    registration = _participant(
        seoul["programme"], (P, P, P, P), full_name='<img src="http://attacker.example/x.png">'
    )
    certificate = service.issue(registration, actor=seoul["coordinator"])
    fetcher = certificate_pdf.only_data_urls()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher("http://attacker.example/x.png")
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher("file:///etc/passwd")
    text = _pdf_text(certificate_pdf.render_pdf(certificate, "en"))
    assert '<img src="http://attacker.example/' in text  # printed as text, not loaded


# The public verification page ----------------------------------------------------------------


@pytest.fixture
def issued(seoul):
    user = make_user(
        full_name="Kim Ji-eun", email="jieun.kim@seoul.example", preferred_language="ko"
    )
    registration = _participant(
        seoul["programme"], (P, P, P, P), user=user, organisation="Seoul Metropolitan Government"
    )
    certificate = service.issue(registration, actor=seoul["coordinator"])
    _db.session.commit()
    return {**seoul, "user": user, "registration": registration, "certificate": certificate}


def _assert_private_data_absent(html: str) -> None:
    for private in ("jieun.kim@seoul.example", "Seoul Metropolitan Government", "Name misspelt"):
        assert private not in html


def test_the_public_page_of_a_valid_certificate(client, issued):
    certificate = issued["certificate"]
    response = client.get(f"/certificates/{certificate.code}")
    assert response.status_code == 200
    html = text_of(response)
    assert "This certificate is valid" in html
    for shown in ("Kim Ji-eun", "Sustainable mobility study visit", "MITI Headquarters Seoul"):
        assert shown in html
    _assert_private_data_absent(html)
    assert_accessible_page(html)
    # Lower case, spaces instead of dashes: the same certificate.
    typed = certificate.code.lower().replace("-", " ")
    assert client.get(f"/certificates/{quote(typed)}").status_code == 200


def test_the_public_page_of_a_revoked_certificate_says_so_without_the_reason(client, issued):
    certificate = issued["certificate"]
    service.revoke(certificate, actor=issued["coordinator"], reason="Name misspelt")
    _db.session.commit()
    response = client.get(f"/certificates/{certificate.code}")
    assert response.status_code == 200
    html = text_of(response)
    assert "This certificate has been revoked" in html
    assert "This certificate is valid" not in html
    _assert_private_data_absent(html)


def test_an_unknown_code_is_a_404_saying_so(client, issued):
    response = client.get("/certificates/ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert "Unknown certificate code" in text_of(response)
    assert_accessible_page(text_of(response))
    assert "Kim Ji-eun" not in text_of(response)


def test_the_lookup_form_leads_to_the_certificate(client, issued):
    code = issued["certificate"].code
    form = client.get("/certificates/")
    assert form.status_code == 200
    assert_accessible_page(text_of(form))
    response = client.get("/certificates/", query_string={"code": code.lower()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/certificates/{code}")
    refused = client.get("/certificates/", query_string={"code": "not a code"})
    assert refused.status_code == 400
    assert "This is not a verification code" in text_of(refused)
    assert_accessible_page(text_of(refused))


@pytest.mark.parametrize("hostile", hostile_strings())
def test_hostile_codes_never_fail_and_are_not_reflected(client, db, hostile):
    for response in (
        client.get("/certificates/" + quote(hostile, safe="")),
        client.get("/certificates/", query_string={"code": hostile}),
    ):
        assert response.status_code in (400, 404), response.status_code
        html = text_of(response)
        if len(hostile) > 3 and str(escape(hostile)) != hostile:
            assert hostile not in html


def test_lookups_are_rate_limited_per_address(app, client, monkeypatch, issued):
    monkeypatch.setitem(app.config, "CERTIFICATE_LOOKUP_RATE_LIMIT", "5 per minute")
    for _ in range(5):
        assert client.get("/certificates/ZZZZ-ZZZZ-ZZZZ").status_code == 404
    assert client.get(f"/certificates/{issued['certificate'].code}").status_code == 429
    assert client.get("/certificates/").status_code == 429


# The participant -----------------------------------------------------------------------------


def test_the_participant_downloads_their_own_certificate_in_their_language(client, sign_in, issued):
    registration, certificate = issued["registration"], issued["certificate"]
    sign_in(issued["user"])
    page = text_of(client.get(f"/my/registrations/{registration.id}"))
    assert_accessible_page(page)
    url = f"/my/registrations/{registration.id}/certificate.pdf"
    assert url in page and certificate.code in page
    assert f"/certificates/{certificate.code}" in page
    assert url in text_of(client.get("/my/registrations"))

    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert certificate.code in response.headers["Content-Disposition"]
    text = _pdf_text(response.data)
    assert "Kim Ji-eun" in text
    assert "년" in text  # dates in Korean, the participant’s language


def test_nobody_else_downloads_a_participants_certificate(client, login, issued):
    url = f"/my/registrations/{issued['registration'].id}/certificate.pdf"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for someone in (make_user(), issued["coordinator"], make_admin()):
        login(someone)
        assert client.get(url).status_code == 404
        client.post("/account/logout")


def test_no_valid_certificate_no_download(client, sign_in, issued):
    registration = issued["registration"]
    url = f"/my/registrations/{registration.id}/certificate.pdf"
    service.revoke(issued["certificate"], actor=issued["coordinator"], reason="Name misspelt")
    _db.session.commit()
    sign_in(issued["user"])
    assert client.get(url).status_code == 404
    assert url not in text_of(client.get(f"/my/registrations/{registration.id}"))
    assert url not in text_of(client.get("/my/registrations"))
    without = _participant(issued["programme"], (P,), user=make_user())
    sign_in(without.user)
    assert client.get(f"/my/registrations/{without.id}/certificate.pdf").status_code == 404


# The coordinators' page ----------------------------------------------------------------------


def _base(seoul, programme=None) -> str:
    programme = programme or seoul["programme"]
    return f"/manage/{seoul['centre'].slug}/programmes/{programme.id}"


def test_the_page_shows_the_rule_and_the_table(client, sign_in, seoul):
    programme = seoul["programme"]
    _participant(programme, (P, P, P, P), full_name="Amina Diallo")
    _participant(programme, (P, P, P, A), full_name="Carlos Pérez")
    sign_in(seoul["coordinator"])
    html = text_of(client.get(f"{_base(seoul)}/certificates"))
    assert "Completion: present at 80% of the 4 sessions or more." in html
    assert "Amina Diallo" in html and "Carlos Pérez" in html
    assert "4 of 4" in html and "3 of 4" in html and "75%" in html
    assert "Issue 1 certificate" in html


def test_the_page_has_an_empty_state(client, sign_in, seoul):
    sign_in(seoul["coordinator"])
    response = client.get(f"{_base(seoul)}/certificates")
    assert response.status_code == 200
    assert "No confirmed participants yet" in text_of(response)


def test_issue_all_then_revoke_then_issue_one_over_http(client, sign_in, seoul, outbox):
    programme = seoul["programme"]
    registration = _participant(programme, (P, P, P, P), full_name="Amina Diallo")
    _participant(programme, (P, P, P, P), full_name="Carlos Pérez")
    _participant(programme, (A, A, A, A), full_name="Absent Always")
    sign_in(seoul["coordinator"])

    response = client.post(f"{_base(seoul)}/certificates/issue-all")
    assert flashes(follow(client, response)) == [("success", "2 certificates issued.")]
    assert len(outbox) == 2
    certificate = service.valid_certificate(registration)
    html = text_of(client.get(f"{_base(seoul)}/certificates"))
    assert certificate.code in html

    pdf = client.get(f"{_base(seoul)}/certificates/{certificate.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Amina Diallo" in _pdf_text(pdf.data)

    revoke_url = f"{_base(seoul)}/certificates/{certificate.id}/revoke"
    assert client.get(revoke_url).status_code == 200
    refused = client.post(revoke_url, data={"reason": ""})
    assert refused.status_code == 200
    assert "reason" in field_errors(refused)
    response = client.post(revoke_url, data={"reason": "Name misspelt"})
    assert flashes(follow(client, response))[0][0] == "success"
    assert "Revoked" in text_of(client.get(f"{_base(seoul)}/certificates"))
    assert client.get(f"{_base(seoul)}/certificates/{certificate.id}.pdf").status_code == 404

    response = client.post(f"{_base(seoul)}/registrations/{registration.id}/certificate")
    [(category, message)] = flashes(follow(client, response))
    assert category == "success"
    new = service.valid_certificate(registration)
    assert new.code != certificate.code and new.code in message

    again = client.post(f"{_base(seoul)}/registrations/{registration.id}/certificate")
    [(category, message)] = flashes(follow(client, again))
    assert category == "error" and "already has a certificate" in message
    nothing = client.post(f"{_base(seoul)}/certificates/issue-all")
    assert flashes(follow(client, nothing))[0][0] == "info"


def test_a_participant_who_did_not_complete_is_refused_with_words(client, sign_in, seoul):
    registration = _participant(seoul["programme"], (P, A, A, A), full_name="Carlos Pérez")
    sign_in(seoul["coordinator"])
    response = client.post(f"{_base(seoul)}/registrations/{registration.id}/certificate")
    [(category, message)] = flashes(follow(client, response))
    assert category == "error"
    assert "attended 1 of 4 sessions (25%)" in message
    assert service.valid_certificate(registration) is None


def _coordinator_requests(seoul):
    """(method, path) of every coordinator route on a certificate of seoul's programme."""
    registration = _participant(seoul["programme"], (P, P, P, P))
    certificate = service.issue(registration, actor=seoul["coordinator"])
    _participant(seoul["programme"], (P, P, P, P))
    _db.session.commit()
    base = _base(seoul)
    return [
        ("GET", f"{base}/certificates"),
        ("POST", f"{base}/certificates/issue-all"),
        ("POST", f"{base}/registrations/{registration.id}/certificate"),
        ("GET", f"{base}/certificates/{certificate.id}/revoke"),
        ("POST", f"{base}/certificates/{certificate.id}/revoke"),
        ("GET", f"{base}/certificates/{certificate.id}.pdf"),
    ]


@pytest.mark.parametrize("who", ["other_coordinator", "other_director", "participant"])
def test_other_centres_staff_are_refused_every_route(client, login, seoul, who):
    requests = _coordinator_requests(seoul)
    login(make_user() if who == "participant" else seoul[who])
    for method, path in requests:
        response = client.open(path, method=method, data={"reason": "Not mine to revoke"})
        assert response.status_code in (403, 404), (method, path, response.status_code)
    assert audit_entries("certificate.revoke") == []
    assert len(audit_entries("certificate.issue")) == 1


def test_ids_of_another_centre_are_404_under_your_own_programme(client, login, seoul):
    """A Paris certificate or registration named under the Paris coordinator's own programme."""
    paris = {**seoul, "centre": seoul["other"], "programme": _finished(seoul["other"])}
    foreign = _coordinator_requests(seoul)  # Seoul's ids
    login(seoul["other_coordinator"])
    for method, path in foreign[2:]:
        own_path = path.replace(_base(seoul), _base(paris))
        response = client.open(own_path, method=method, data={"reason": "Not mine to revoke"})
        assert response.status_code == 404, (method, own_path)
    assert audit_entries("certificate.revoke") == []


def test_a_certificate_of_another_programme_of_the_same_centre_is_404(client, login, seoul):
    requests = _coordinator_requests(seoul)
    other_programme = _finished(seoul["centre"])
    _db.session.commit()
    login(seoul["coordinator"])
    for method, path in requests[2:]:
        moved = path.replace(_base(seoul), _base(seoul, other_programme))
        response = client.open(moved, method=method, data={"reason": "Wrong programme"})
        assert response.status_code == 404, (method, moved)


def test_state_changes_need_the_csrf_token(app, client, sign_in, monkeypatch, seoul):
    requests = _coordinator_requests(seoul)
    sign_in(seoul["coordinator"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    for method, path in requests:
        if method == "POST":
            assert client.post(path, data={"reason": "No token"}).status_code == 400
    assert audit_entries("certificate.revoke") == []
    assert len(audit_entries("certificate.issue")) == 1


def test_hostile_names_are_escaped_on_every_page(client, sign_in, seoul):
    hostile = '"><img src=x onerror=alert(1)>'
    registration = _participant(seoul["programme"], (P, P, P, P), full_name=hostile)
    certificate = service.issue(registration, actor=seoul["coordinator"])
    _db.session.commit()
    sign_in(seoul["coordinator"])
    for path in (
        f"{_base(seoul)}/certificates",
        f"{_base(seoul)}/certificates/{certificate.id}/revoke",
        f"/certificates/{certificate.code}",
    ):
        html = text_of(client.get(path))
        assert hostile not in html
        assert str(escape(hostile)) in html


def test_the_page_issues_a_constant_number_of_statements(app, client, sign_in, seoul):
    centre, coordinator = seoul["centre"], seoul["coordinator"]
    few, many = _finished(centre), _finished(centre)
    for programme, n in ((few, 3), (many, 30)):
        for i in range(n):
            registration = _participant(programme, (P, P, P, P) if i % 2 else (P, A, A, A))
            if i % 3 == 0 and i % 2:
                certificate = service.issue(registration, actor=coordinator)
                if i % 9 == 0:
                    service.revoke(certificate, actor=coordinator, reason="Test")
    sign_in(coordinator)
    _db.session.commit()
    counts = [_statements_for(app, client, f"{_base(seoul, p)}/certificates") for p in (few, many)]
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts


def test_the_longest_name_and_title_still_fit_on_one_page(seoul):
    programme = _finished(seoul["centre"], title="Integrated transport and climate resilience " * 4)
    name = ("María Fernanda de los Ángeles Gutiérrez-Santamaría " * 4)[:200]
    registration = _participant(programme, (P, P, P, P), full_name=name)
    certificate = service.issue(registration, actor=seoul["coordinator"])
    pdf = certificate_pdf.render_pdf(certificate, "es")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert certificate.code in _pdf_text(pdf)


def test_staff_download_the_certificate_in_the_participants_language(client, sign_in, issued):
    # The coordinator reads English; the participant chose Korean: the certificate is theirs.
    issued["coordinator"].preferred_language = "en"
    _db.session.commit()
    sign_in(issued["coordinator"])
    pdf = client.get(f"{_base(issued)}/certificates/{issued['certificate'].id}.pdf")
    assert pdf.status_code == 200
    text = _pdf_text(pdf.data)
    assert "Kim Ji-eun" in text
    assert "년" in text  # dates in Korean


def test_the_certificates_summary_counts_in_words_and_never_says_zero_of_them(
    client, sign_in, seoul
):
    programme = seoul["programme"]
    registration = _participant(programme, (P, P, P, P), full_name="Amina Diallo")
    sign_in(seoul["coordinator"])
    html = text_of(client.get(f"{_base(seoul)}/certificates"))
    assert "1 of 1 confirmed participant completed the programme." in html
    assert "1 of them has no certificate yet." in html

    service.issue(registration, actor=seoul["coordinator"])
    _db.session.commit()
    html = text_of(client.get(f"{_base(seoul)}/certificates"))
    assert "0 of them" not in html
    assert "Each of them has a certificate." in html
