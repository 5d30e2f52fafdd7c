"""A programme may require others: met by a valid certificate of the required programme, checked
when registering (the service and the form), listed on the programme page; staff set them
without circles."""

import pytest

from miti_training.attendance.certificates import new_code
from miti_training.errors import FieldError
from miti_training.extensions import db as _db
from miti_training.models import (
    Certificate,
    ProgrammePrerequisite,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.programmes import prerequisites as requiring
from miti_training.registrations import enrolment
from miti_training.registrations.prerequisites import (
    PrerequisitesMissing,
    missing_prerequisites,
    require_prerequisites,
)
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    today,
)
from tests.support.pages import flashes, follow, main_of, text_of

FORM = {"submitted": "1", "consent_data": "y", "motivation": "Peer learning."}


@pytest.fixture
def w(db):
    seoul = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    paris = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    online = make_programme(
        paris,
        title="Urban governance online module",
        slug="online-module",
        starts_on=today().replace(year=today().year - 1),
        status=ProgrammeStatus.COMPLETED,
    )
    course = make_programme(seoul, title="Peer Review Process workshop", slug="prp")
    _db.session.add(ProgrammePrerequisite(programme=course, required_programme=online))
    _db.session.flush()
    return {"seoul": seoul, "paris": paris, "online": online, "course": course}


def certify(programme, user, *, revoked=False) -> Certificate:
    registration = make_registration(programme, user, status=RegistrationStatus.CONFIRMED)
    certificate = Certificate(
        registration=registration,
        code=new_code(),
        full_name=user.full_name,
        attendance_percent=100,
        revoked_at=utcnow() if revoked else None,
    )
    _db.session.add(certificate)
    _db.session.flush()
    return certificate


def test_met_by_a_valid_certificate_of_the_required_programme(w):
    user = make_user()
    assert missing_prerequisites(w["course"], user) == [w["online"]]
    certify(w["online"], user)
    assert missing_prerequisites(w["course"], user) == []
    require_prerequisites(w["course"], user)


def test_a_revoked_certificate_or_mere_attendance_does_not_count(w):
    revoked, registered = make_user(), make_user()
    certify(w["online"], revoked, revoked=True)
    make_registration(w["online"], registered, status=RegistrationStatus.CONFIRMED)
    for user in (revoked, registered):
        with pytest.raises(PrerequisitesMissing) as refused:
            require_prerequisites(w["course"], user)
        assert refused.value.missing == [w["online"]]
        assert "Urban governance online module" in str(refused.value.message)


def test_the_service_refuses_registering_without_the_prerequisite(w):
    user = make_user()
    with pytest.raises(PrerequisitesMissing):
        enrolment.register(w["course"], user, answers={}, consent_data=True, consent_listing=False)
    certify(w["online"], user)
    registration = enrolment.register(
        w["course"], user, answers={}, consent_data=True, consent_listing=False
    )
    assert registration.status == RegistrationStatus.CONFIRMED


def test_the_form_refuses_with_a_link_to_the_required_programme(client, login, w):
    user = make_user()
    login(user)
    client.get("/")  # the welcome is shown
    link = '<a href="/programmes/online-module"><bdi>Urban governance online module</bdi></a>'
    # The form is not offered, and a form sent anyway is refused by the service.
    for method, data in (("GET", None), ("POST", FORM)):
        response = client.open("/programmes/prp/register", method=method, data=data)
        assert response.status_code == 302 and response.location.endswith("/programmes/prp")
        page = follow(client, response)
        [(category, message)] = flashes(page)
        assert category == "error" and link in message
        assert "requires completing Urban governance online module first" in message
    assert _db.session.query(Registration).filter_by(user_id=user.id).count() == 0


def test_the_form_registers_once_the_prerequisite_is_met(client, login, w):
    user = make_user()
    certify(w["online"], user)
    login(user)
    response = client.post("/programmes/prp/register", data=FORM)
    assert response.status_code == 302 and "/my/registrations/" in response.location


def test_the_programme_page_lists_prerequisites_with_completed_ticks(client, login, w):
    anonymous = main_of(client.get("/programmes/prp"))
    assert "Before you apply" in anonymous
    assert 'href="/programmes/online-module"' in anonymous
    assert "Completed" not in anonymous
    user = make_user()
    login(user)
    assert "Not completed yet" in main_of(client.get("/programmes/prp"))
    certify(w["online"], user)
    page = main_of(client.get("/programmes/prp"))
    assert "✓ Completed" in page and "Not completed yet" not in page


def test_staff_may_register_someone_without_the_prerequisite_and_are_told(client, login, w):
    coordinator = make_staff(w["seoul"], "coordinator")
    official = make_user(full_name="Wei Zhang")
    login(coordinator)
    response = client.post(
        f"/manage/seoul/programmes/{w['course'].id}/registrations/add",
        data={"email": official.email},
    )
    page = follow(client, response)
    assert (
        "info",
        "Note: Wei Zhang has not completed Urban governance online module, which this "
        "programme requires; registered by staff decision.",
    ) in flashes(page)
    assert _db.session.query(Registration).filter_by(user_id=official.id).count() == 1


# Staff choose the prerequisites ------------------------------------------------------------


def test_cycles_are_refused_directly_and_through_a_chain(w):
    director = make_staff(w["seoul"], "director")
    admin = make_user(is_admin=True)
    third = make_programme(w["seoul"], title="Advanced workshop", status=ProgrammeStatus.DRAFT)
    requiring.add(third, w["course"], actor=director)  # third → course → online
    with pytest.raises(FieldError, match="cannot require itself"):
        requiring.add(third, third, actor=director)
    with pytest.raises(requiring.PrerequisiteCycle, match="Advanced workshop"):
        requiring.add(w["course"], third, actor=director)
    # Through a chain of two: third → course → online.
    w["online"].status = ProgrammeStatus.DRAFT
    with pytest.raises(requiring.PrerequisiteCycle):
        requiring.add(w["online"], third, actor=admin)
    assert _db.session.query(ProgrammePrerequisite).count() == 2


def test_the_page_adds_removes_and_refuses_a_cycle_beside_the_field(client, login, w):
    director = make_staff(w["seoul"], "director")
    draft = make_programme(w["seoul"], title="Follow-up clinic", status=ProgrammeStatus.DRAFT)
    login(director)
    url = f"/manage/seoul/programmes/{draft.id}/prerequisites"
    page = client.get(url)
    assert page.status_code == 200 and "No programme is required" in main_of(page)
    response = client.post(url, data={"required": str(w["course"].id)})
    assert response.status_code == 302
    assert (
        "success",
        "Applicants now need to have completed “Peer Review Process workshop” first.",
    ) in flashes(follow(client, response))
    # The course may not now require the draft: the circle is refused beside the field.
    course_url = f"/manage/seoul/programmes/{w['course'].id}/prerequisites"
    refused = client.post(course_url, data={"required": str(draft.id)})
    assert refused.status_code == 200
    assert "make a circle" in text_of(refused)
    assert _db.session.get(ProgrammePrerequisite, (w["course"].id, draft.id)) is None
    removed = client.post(f"{url}/{w['course'].id}/remove")
    assert ("success", "“Peer Review Process workshop” is no longer required.") in flashes(
        follow(client, removed)
    )
    assert _db.session.get(ProgrammePrerequisite, (draft.id, w["course"].id)) is None


def test_an_unknown_or_foreign_choice_is_refused(client, login, w):
    director = make_staff(w["seoul"], "director")
    login(director)
    url = f"/manage/seoul/programmes/{w['course'].id}/prerequisites"
    for value in ("0", "99999", "x", w["course"].id):
        response = client.post(url, data={"required": str(value)})
        assert response.status_code == 200
    assert _db.session.query(ProgrammePrerequisite).count() == 1
