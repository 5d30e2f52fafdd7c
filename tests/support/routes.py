"""Every route of the app, who may use it, and a request that succeeds on it.

The authorization matrix (tests/web/test_authorization_matrix.py) fails for a route of the app
that no table below holds, and tries every /manage and /admin route with every role; the
hostile-form tests (tests/web/test_hostile_forms_*.py) post the same requests with hostile
values. A new route needs its row here and, under /manage or /admin, its request.
"""

from datetime import timedelta

from sqlalchemy import select

from miti_training.attendance.certificates import new_code
from miti_training.extensions import db
from miti_training.models import (
    AuditEntry,
    Centre,
    Certificate,
    CityAllocation,
    ExportPreference,
    FocalPoint,
    MemberCity,
    Membership,
    MembershipRole,
    Programme,
    ProgrammePrerequisite,
    ProgrammeQuestion,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    QuestionKind,
    RegionCap,
    Registration,
    RegistrationStatus,
    User,
)
from miti_training.registrations import messages
from tests.support.album_routes import (
    ALBUM_COORDINATOR_ROUTES,
    ALBUM_DOWNLOADS,
    album_request,
    album_snapshot,
)
from tests.support.factories import (
    grant,
    make_admin,
    make_centre,
    make_member_city,
    make_programme,
    make_registration,
    make_user,
    mark_present,
    today,
)
from tests.support.forms import centre_form, city_form, programme_form, session_form
from tests.support.news_routes import (
    NEWS_COORDINATOR_ROUTES,
    NEWS_DIRECTOR_ROUTES,
    news_request,
    news_snapshot,
)
from tests.support.selection_routes import (
    REVIEWER_GRANTING_ROUTES,
    SELECTION_COORDINATOR_ROUTES,
    selection_answer,
    selection_request,
    selection_snapshot,
)
from tests.support.sql import count_rows

# The tables: (method, endpoint) ---------------------------------------------------------------

#: Anyone, logged in or not.
PUBLIC_ROUTES = [
    ("GET", "main.home"),
    ("POST", "main.set_language"),
    ("GET", "main.healthz"),
    ("GET", "main.readyz"),
    ("GET", "main.metrics"),  # a bearer token instead of a login (tests/web/test_observability.py)
    ("GET", "catalogue.list_programmes"),
    ("GET", "catalogue.programme_detail"),
    ("GET", "catalogue.programme_ics"),
    ("GET", "catalogue.centre_detail"),
    # News: a published post's page (drafts are 404), the archives and the feeds of the
    # network and of each centre.
    ("GET", "catalogue.news_post"),
    ("GET", "catalogue.network_news"),
    ("GET", "catalogue.centre_news"),
    ("GET", "catalogue.centre_feed"),
    ("GET", "catalogue.network_feed"),
    # Photos: only those of ended sessions of public programmes, not hidden (tests/albums).
    ("GET", "catalogue.photo_page"),
    ("GET", "catalogue.photo_image"),
    ("GET", "api.list_programmes"),
    ("GET", "api.programme_detail"),
    ("GET", "api.list_centres"),
    ("GET", "api.openapi"),
    ("GET", "auth.signup"),
    ("POST", "auth.signup"),
    ("GET", "auth.signup_done"),
    # The signed link sent to the address is the key, like a password-reset link.
    ("GET", "auth.finish_signup"),
    ("POST", "auth.finish_signup"),
    ("GET", "auth.login"),
    ("POST", "auth.login"),
    ("GET", "auth.forgot_password"),
    ("POST", "auth.forgot_password"),
    ("GET", "auth.reset_password"),
    ("POST", "auth.reset_password"),
    ("GET", "registrations.calendar_feed"),  # secret token in the URL instead of a login
    ("GET", "static"),
    ("GET", "certificates.lookup"),
    ("GET", "certificates.verify"),
    ("GET", "certificates.verify_transcript"),
    # The signed link is enough, like a password-reset link: no login needed.
    ("GET", "auth.confirm_email_change"),
    # A nomination's invitation: the secret in the link is the key.
    ("GET", "nominations.accept"),
]

#: Focal points of member cities, for their own city only (tests/nominations/test_access.py).
FOCAL_POINT_ROUTES = [
    ("GET", "nominations.index"),
    ("GET", "nominations.nominate"),
    ("POST", "nominations.nominate"),
    ("POST", "nominations.withdraw"),
    # Only an expired invitation of the focal point's city (tests/nominations/test_invitation_expiry.py).
    ("POST", "nominations.resend_invitation"),
]

#: Any logged-in user, acting on their own account only.
ACCOUNT_ROUTES = [
    ("GET", "auth.profile"),
    ("POST", "auth.profile"),
    ("GET", "auth.change_password"),
    ("POST", "auth.change_password"),
    ("POST", "auth.logout"),
    ("GET", "registrations.mine"),
    ("POST", "registrations.calendar_token_create"),
    ("POST", "registrations.calendar_token_revoke"),
    ("GET", "registrations.register"),
    ("POST", "registrations.register"),
    # GET /check-in shows the form (the QR code opens it); POST checks in.
    ("GET", "registrations.check_in"),
    ("POST", "registrations.check_in"),
    ("GET", "auth.download_data"),
    ("GET", "auth.delete_account"),
    ("POST", "auth.delete_account"),
    ("GET", "auth.change_email"),
    ("POST", "auth.change_email"),
    # The training record; a transcript is downloaded by its owner only (another's is a 404).
    ("GET", "registrations.my_record"),
    ("POST", "registrations.issue_transcript"),
    ("GET", "registrations.transcript_pdf"),
]

#: A participant's own registration: others get 404, anonymous visitors are sent to log in.
OWN_REGISTRATION_ROUTES = [
    ("GET", "registrations.detail"),
    ("GET", "registrations.edit"),
    ("POST", "registrations.edit"),
    ("GET", "registrations.withdraw"),
    ("POST", "registrations.withdraw"),
    ("POST", "registrations.accept_offer"),
    ("POST", "registrations.decline_offer"),
    ("GET", "registrations.certificate_pdf"),
    ("GET", "registrations.withdraw_photo_consent"),
    ("POST", "registrations.withdraw_photo_consent"),
    ("GET", "registrations.give_photo_consent"),
    ("POST", "registrations.give_photo_consent"),
]

#: Administrators only.
ADMIN_ROUTES = [
    ("GET", "admin.index"),
    ("GET", "admin.list_centres"),
    ("GET", "admin.create_centre"),
    ("POST", "admin.create_centre"),
    ("GET", "admin.edit_centre"),
    ("POST", "admin.edit_centre"),
    ("GET", "admin.list_member_cities"),
    ("GET", "admin.create_member_city"),
    ("POST", "admin.create_member_city"),
    ("GET", "admin.edit_member_city"),
    ("POST", "admin.edit_member_city"),
    ("GET", "admin.list_users"),
    ("GET", "admin.user_detail"),
    ("POST", "admin.enable_user"),
    ("POST", "admin.disable_user"),
    ("POST", "admin.grant_role"),
    ("POST", "admin.revoke_role"),
    ("POST", "admin.grant_admin"),
    ("POST", "admin.revoke_admin"),
    ("GET", "admin.list_focal_points"),
    ("POST", "admin.grant_focal_point"),
    ("POST", "admin.revoke_focal_point"),
    ("GET", "admin.network_dashboard"),
    ("GET", "admin.network_dashboard_csv"),
]

#: Coordinators and directors of the centre, and administrators (on drafts, for coordinators).
COORDINATOR_ROUTES = [
    ("GET", "manage.index"),
    ("GET", "manage.centre_overview"),
    ("GET", "manage.new_programme"),
    ("POST", "manage.new_programme"),
    ("GET", "manage.programme_detail"),
    ("GET", "manage.edit_programme"),
    ("POST", "manage.edit_programme"),
    ("GET", "manage.add_session"),
    ("POST", "manage.add_session"),
    ("GET", "manage.edit_session"),
    ("POST", "manage.edit_session"),
    ("POST", "manage.delete_session"),
    # Registrations (tests/registrations/test_manage_registrations.py tests them in depth).
    ("GET", "manage.programme_registrations"),
    ("POST", "manage.bulk_registrations"),
    ("GET", "manage.register_on_behalf"),
    ("POST", "manage.register_on_behalf"),
    ("GET", "manage.registration_detail"),
    ("POST", "manage.confirm_registration"),
    ("POST", "manage.waitlist_registration"),
    ("POST", "manage.decline_registration"),
    ("POST", "manage.move_registration"),
    ("POST", "manage.reinstate_registration"),
    # Exports.
    ("GET", "manage.export_registrations"),
    ("GET", "manage.export_csv"),
    ("GET", "manage.export_xlsx"),
    # The export page's form: the chosen columns, remembered for the user.
    ("POST", "manage.export_csv"),
    ("POST", "manage.export_xlsx"),
    # Attendance.
    ("GET", "manage.session_attendance"),
    ("POST", "manage.session_attendance"),
    ("POST", "manage.mark_all_present"),
    ("GET", "manage.session_check_in_code"),
    # Certificates.
    ("GET", "manage.programme_certificates"),
    ("POST", "manage.issue_certificates"),
    ("POST", "manage.issue_certificate"),
    ("GET", "manage.revoke_certificate"),
    ("POST", "manage.revoke_certificate"),
    ("GET", "manage.certificate_pdf"),
    # The centre's dashboard.
    ("GET", "manage.centre_dashboard"),
    # Messages and printables.
    ("GET", "manage.message_participants"),
    ("POST", "manage.message_participants"),
    ("GET", "manage.sent_messages"),
    ("GET", "manage.sign_in_sheet"),
    ("GET", "manage.programme_badges"),
    # Scored selection: the rubric and the ranked list (tests/selection tests them in depth).
    *SELECTION_COORDINATOR_ROUTES,
    # The programmes a programme requires (on a draft, which coordinators may change).
    ("GET", "manage.programme_prerequisites"),
    ("POST", "manage.programme_prerequisites"),
    ("POST", "manage.remove_prerequisite"),
    # Nomination settings (tests/nominations/test_settings.py tests them in depth).
    ("GET", "manage.nomination_settings"),
    ("POST", "manage.nomination_settings"),
    ("POST", "manage.set_city_places"),
    ("POST", "manage.set_region_cap"),
    # News posts: coordinators write and change drafts (tests/news tests them in depth).
    *NEWS_COORDINATOR_ROUTES,
    # Photo albums of sessions (tests/albums tests them in depth).
    *ALBUM_COORDINATOR_ROUTES,
]

#: The centre's director (or an administrator) only.
DIRECTOR_ROUTES = [
    ("POST", "manage.publish_programme"),
    ("GET", "manage.cancel_programme"),
    ("POST", "manage.cancel_programme"),
    ("POST", "manage.complete_programme"),
    ("GET", "manage.unpublish_programme"),
    ("POST", "manage.unpublish_programme"),
    ("GET", "manage.duplicate_programme"),
    ("POST", "manage.duplicate_programme"),
    # The registration form builder (tests/registrations/test_questions.py tests it in depth).
    ("GET", "manage.programme_questions"),
    ("GET", "manage.add_question"),
    ("POST", "manage.add_question"),
    ("GET", "manage.edit_question"),
    ("POST", "manage.edit_question"),
    ("GET", "manage.delete_question"),
    ("POST", "manage.delete_question"),
    ("POST", "manage.move_question"),
    # Publishing news posts.
    *NEWS_DIRECTOR_ROUTES,
    # The centre's reviewers: the director names and removes them.
    *REVIEWER_GRANTING_ROUTES,
]

#: The calendar import, like the coordinator routes; tried only when the app has it.
IMPORT_ROUTES = [
    ("GET", "manage.import_calendar"),
    ("POST", "manage.import_calendar"),
    ("GET", "manage.import_template"),
]

#: Endpoints whose GET (and POST, for the attendee lists) answers a file, not an HTML page.
DOWNLOADS = {
    "manage.export_csv",
    "manage.export_xlsx",
    "manage.certificate_pdf",
    "admin.network_dashboard_csv",
    "auth.download_data",
    *ALBUM_DOWNLOADS,
}


def manage_answer(role: str, method: str, endpoint: str) -> str:
    """What a /manage route answers role: 'login', 'forbidden' or 'allowed'.

    Roles: anonymous, participant, (other_)reviewer, (other_)coordinator and (other_)director
    of (another) centre, admin.
    """
    if role == "anonymous":
        return "login"
    by_selection = selection_answer(role, method, endpoint)
    if by_selection is not None:
        return by_selection
    if endpoint == "manage.index":
        return "forbidden" if role == "participant" else "allowed"
    if role in ("participant", "other_coordinator", "other_director"):
        return "forbidden"
    if role == "coordinator" and (method, endpoint) not in COORDINATOR_ROUTES:
        return "forbidden"
    return "allowed"


# /admin: the world, a request per route, what a request may change ----------------------------


def make_admin_world() -> dict:
    """One of everything the admin routes act on."""
    centre = make_centre(slug="seoul-hq", name="MITI Headquarters Seoul")
    other_centre = make_centre(slug="paris-idf", name="MITI Paris Île-de-France")
    city = make_member_city(name="Guangzhou", country="China")
    target = make_user(full_name="Target Official")
    membership = grant(target, centre, MembershipRole.COORDINATOR)
    disabled = make_user(full_name="Disabled Official", is_enabled=False)
    other_admin = make_admin(full_name="Other Admin")
    focal = make_user(full_name="Focal Point", member_city=city)
    db.session.add(FocalPoint(user_id=focal.id, member_city_id=city.id))
    return {
        "focal": focal,
        "centre": centre,
        "other_centre": other_centre,
        "city": city,
        "target": target,
        "membership": membership,
        "disabled": disabled,
        "other_admin": other_admin,
    }


def admin_request(endpoint: str, w: dict) -> tuple[dict, dict]:
    """URL values and form data of a request that succeeds for an admin."""
    target = w["target"].id
    return {
        "admin.index": ({}, {}),
        "admin.list_centres": ({}, {}),
        "admin.create_centre": ({}, centre_form(slug="new-centre")),
        "admin.edit_centre": (
            {"centre_id": w["centre"].id},
            centre_form(slug="seoul-hq", name="Renamed", timezone="Asia/Seoul"),
        ),
        "admin.list_member_cities": ({}, {}),
        "admin.create_member_city": ({}, city_form()),
        "admin.edit_member_city": ({"city_id": w["city"].id}, city_form(name="Wuhan")),
        "admin.list_users": ({}, {}),
        "admin.user_detail": ({"user_id": target}, {}),
        "admin.enable_user": ({"user_id": w["disabled"].id}, {}),
        "admin.disable_user": ({"user_id": target}, {}),
        "admin.grant_role": (
            {"user_id": target},
            {"centre_id": str(w["other_centre"].id), "role": "director"},
        ),
        "admin.revoke_role": ({"user_id": target, "membership_id": w["membership"].id}, {}),
        "admin.grant_admin": ({"user_id": target}, {}),
        "admin.revoke_admin": ({"user_id": w["other_admin"].id}, {}),
        "admin.network_dashboard": ({}, {}),
        "admin.network_dashboard_csv": ({"table": "centres"}, {}),
        "admin.list_focal_points": ({}, {}),
        "admin.grant_focal_point": ({"user_id": target}, {"member_city_id": str(w["city"].id)}),
        "admin.revoke_focal_point": ({"user_id": w["focal"].id}, {}),
    }[endpoint]


def admin_snapshot() -> tuple:
    """Everything an admin route may change, to prove a refused request changed nothing."""
    db.session.expire_all()
    return (
        sorted(db.session.execute(select(Centre.slug, Centre.name, Centre.timezone)).all()),
        sorted(db.session.execute(select(MemberCity.name, MemberCity.country)).all()),
        sorted(
            db.session.execute(
                select(Membership.user_id, Membership.centre_id, Membership.role)
            ).all()
        ),
        sorted(db.session.execute(select(User.id, User.is_admin, User.is_enabled)).all()),
        sorted(db.session.execute(select(FocalPoint.user_id, FocalPoint.member_city_id)).all()),
        count_rows(AuditEntry),
    )


# /manage: the world, a request per route, what a request may change ---------------------------


def make_manage_world() -> dict:
    """A centre with a draft, a published and a finished programme; another centre too.

    The published programme has one confirmed participant: enough to export, mark, send and
    print.
    """
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    other = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    draft = make_programme(centre, status=ProgrammeStatus.DRAFT, sessions=2, title="Draft")
    published = make_programme(centre, sessions=2, title="Published")
    finished = make_programme(
        centre, sessions=2, title="Finished", starts_on=today() - timedelta(days=10)
    )
    foreign = make_programme(other, status=ProgrammeStatus.DRAFT, sessions=1, title="Foreign")
    unregistered = make_programme(centre, sessions=1, title="Nobody registered yet")
    make_registration(published, status=RegistrationStatus.CONFIRMED)
    published.seats_taken = 1
    return {
        "centre": centre,
        "other": other,
        "draft": draft,
        "published": published,
        "finished": finished,
        "foreign": foreign,
        "unregistered": unregistered,
    }


def manage_request(endpoint: str, w: dict) -> tuple[dict, dict]:
    """URL values and form data of a request that succeeds for the centre's director.

    Rows a request acts on (registrations, questions, certificates) are made only for it.
    """
    for feature_request in (
        _registration_request,
        _export_request,
        _attendance_request,
        _certificate_request,
        _message_request,
        selection_request,
        _prerequisite_request,
        news_request,
        album_request,
    ):
        request = feature_request(endpoint, w)
        if request is not None:
            return request
    return _programme_request(endpoint, w)


def manage_snapshot() -> tuple:
    """Everything a /manage route may change, to prove a refused request changed nothing."""
    db.session.expire_all()
    return (
        sorted(
            db.session.execute(
                select(
                    Programme.id,
                    Programme.status,
                    Programme.title,
                    Programme.capacity,
                    Programme.seats_taken,
                )
            ).all()
        ),
        sorted(
            db.session.execute(
                select(
                    ProgrammeSession.id,
                    ProgrammeSession.title,
                    ProgrammeSession.starts_at,
                    ProgrammeSession.ends_at,
                )
            ).all()
        ),
        sorted(db.session.execute(select(Registration.id, Registration.status)).all()),
        count_rows(ProgrammeTranslation),
        count_rows(AuditEntry),
        sorted(
            db.session.execute(
                select(
                    Programme.id,
                    Programme.nomination_opens_at,
                    Programme.nomination_closes_at,
                    Programme.default_allocation,
                )
            ).all()
        ),
        sorted(
            db.session.execute(
                select(CityAllocation.member_city_id, CityAllocation.places, CityAllocation.taken)
            ).all()
        ),
        sorted(db.session.execute(select(RegionCap.world_region, RegionCap.places)).all()),
        sorted(
            (user_id, tuple(columns))
            for user_id, columns in db.session.execute(
                select(ExportPreference.user_id, ExportPreference.columns)
            )
        ),
        selection_snapshot(),
        news_snapshot(),
        album_snapshot(),
    )


def _programme_request(endpoint: str, w: dict) -> tuple[dict, dict]:
    c = w["centre"].slug
    draft, published = w["draft"], w["published"]
    session = draft.sessions[0]
    day = draft.starts_on
    return {
        "manage.index": ({}, {}),
        "manage.centre_overview": ({"centre_slug": c}, {}),
        "manage.new_programme": ({"centre_slug": c}, programme_form()),
        "manage.programme_detail": ({"centre_slug": c, "programme_id": draft.id}, {}),
        "manage.edit_programme": (
            {"centre_slug": c, "programme_id": draft.id},
            programme_form(
                title="Draft renamed",
                starts_on=draft.starts_on.isoformat(),
                ends_on=draft.ends_on.isoformat(),
            ),
        ),
        "manage.add_session": (
            {"centre_slug": c, "programme_id": draft.id},
            session_form(day, "18:00", "19:30", title="Evening debate"),
        ),
        "manage.edit_session": (
            {"centre_slug": c, "programme_id": draft.id, "session_id": session.id},
            session_form(day, "10:30", "17:00", title="Day 1 (later start)"),
        ),
        "manage.delete_session": (
            {"centre_slug": c, "programme_id": draft.id, "session_id": session.id},
            {},
        ),
        "manage.publish_programme": ({"centre_slug": c, "programme_id": draft.id}, {}),
        "manage.cancel_programme": (
            {"centre_slug": c, "programme_id": published.id},
            {"reason": "The venue is closed.", "confirm": "y"},
        ),
        "manage.unpublish_programme": (
            {"centre_slug": c, "programme_id": w["unregistered"].id},
            {},
        ),
        "manage.complete_programme": (
            {"centre_slug": c, "programme_id": w["finished"].id},
            {},
        ),
        "manage.duplicate_programme": (
            {"centre_slug": c, "programme_id": published.id},
            {"title": "Published, next year", "shift_days": "364"},
        ),
        "manage.centre_dashboard": ({"centre_slug": c}, {}),
        "manage.import_calendar": ({"centre_slug": c}, {}),
        "manage.import_template": ({"centre_slug": c, "fmt": "csv"}, {}),
        "manage.nomination_settings": (
            {"centre_slug": c, "programme_id": published.id},
            {"opens_at": "", "closes_at": "2040-01-01T10:00", "default_allocation": "3"},
        ),
        "manage.set_city_places": (
            {"centre_slug": c, "programme_id": published.id},
            {"member_city_id": str(_a_member_city().id), "places": "4"},
        ),
        "manage.set_region_cap": (
            {"centre_slug": c, "programme_id": published.id},
            {"world_region": "africa", "places": "3"},
        ),
    }[endpoint]


def _a_member_city() -> MemberCity:
    return db.session.scalars(select(MemberCity).order_by(MemberCity.id)).first()


def _registration_in(programme, status, **kw) -> Registration:
    return make_registration(programme, status=RegistrationStatus(status), **kw)


def _question_in(programme, label: str, position: int) -> ProgrammeQuestion:
    question = ProgrammeQuestion(
        programme=programme, position=position, kind=QuestionKind.SHORT_TEXT, label=label
    )
    db.session.add(question)
    db.session.flush()
    return question


def _registration_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    """The registration pages and the form builder."""
    c, published = w["centre"].slug, w["published"]
    on_programme = {"centre_slug": c, "programme_id": published.id}

    def on(registration):
        return {"centre_slug": c, "registration_id": registration.id}

    builders = {
        "manage.programme_registrations": lambda: (on_programme, {}),
        "manage.bulk_registrations": lambda: (
            on_programme,
            {
                "action": "confirm",
                "registration_ids": [str(_registration_in(published, "applied").id)],
            },
        ),
        "manage.register_on_behalf": lambda: (on_programme, {"email": make_user().email}),
        "manage.registration_detail": lambda: (
            on(_registration_in(published, "applied", motivation="Bus rapid transit")),
            {},
        ),
        "manage.confirm_registration": lambda: (on(_registration_in(published, "applied")), {}),
        "manage.waitlist_registration": lambda: (on(_registration_in(published, "applied")), {}),
        "manage.decline_registration": lambda: (
            on(_registration_in(published, "applied")),
            {"reason": "The group is complete."},
        ),
        "manage.move_registration": lambda: (
            on(
                [_registration_in(published, "waitlisted", waitlist_position=n) for n in (1, 2)][-1]
            ),
            {"position": "1"},
        ),
        "manage.reinstate_registration": lambda: (on(_registration_in(published, "declined")), {}),
        "manage.programme_questions": lambda: (on_programme, {}),
        "manage.add_question": lambda: (
            on_programme,
            {"kind": "single_choice", "label": "Your role", "choices": "Planner\nEngineer"},
        ),
    }
    question_routes = {
        "manage.edit_question": {"kind": "short_text", "label": "Your city's policy, in brief"},
        "manage.delete_question": {},
        "manage.move_question": {"direction": "up"},
    }
    if endpoint in builders:
        return builders[endpoint]()
    if endpoint in question_routes:
        _question_in(published, "Your department", 1)
        question = _question_in(published, "Your city's policy", 2)
        return {**on_programme, "question_id": question.id}, question_routes[endpoint]
    return None


def _export_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    """The published programme's confirmed registrations; a POST chooses two columns (a GET
    ignores the form)."""
    if endpoint not in ("manage.export_registrations", "manage.export_csv", "manage.export_xlsx"):
        return None
    columns = {"status": "confirmed", "columns": ["name", "dietary_needs"]}
    return {"centre_slug": w["centre"].slug, "programme_id": w["published"].id}, columns


def _attendance_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    """The published programme's first session."""
    attendance = ("manage.session_attendance", "manage.mark_all_present")
    if endpoint not in (*attendance, "manage.session_check_in_code"):
        return None
    published = w["published"]
    values = {
        "centre_slug": w["centre"].slug,
        "programme_id": published.id,
        "session_id": published.sessions[0].id,
    }
    if endpoint == "manage.session_attendance":
        confirmed = db.session.scalars(
            select(Registration.id).where(
                Registration.programme_id == published.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        ).all()
        statuses = {f"status-{registration_id}": "excused" for registration_id in confirmed}
        # The session may be days away: the request confirms recording early.
        return values, {**statuses, "confirmed": "yes"}
    if endpoint == "manage.mark_all_present":
        return values, {"confirmed": "yes"}
    return values, {}


def _completer(programme) -> Registration:
    """A confirmed participant present at every session of programme."""
    registration = make_registration(programme, status=RegistrationStatus.CONFIRMED)
    mark_present(registration)
    return registration


def _certificate(programme) -> Certificate:
    registration = _completer(programme)
    certificate = Certificate(
        registration=registration,
        code=new_code(),
        full_name=registration.full_name,
        attendance_percent=100,
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def _certificate_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    """The finished programme, with a participant who completed it or a certificate."""
    finished = w["finished"]
    on_programme = {"centre_slug": w["centre"].slug, "programme_id": finished.id}
    if endpoint in ("manage.programme_certificates", "manage.issue_certificates"):
        _completer(finished)
        return on_programme, {}
    if endpoint == "manage.issue_certificate":
        return {**on_programme, "registration_id": _completer(finished).id}, {}
    if endpoint == "manage.revoke_certificate":
        certificate = _certificate(finished)
        return {**on_programme, "certificate_id": certificate.id}, {"reason": "Issued by mistake."}
    if endpoint == "manage.certificate_pdf":
        return {**on_programme, "certificate_id": _certificate(finished).id}, {}
    return None


def _signed_message(programme: Programme) -> dict:
    """A message as its preview's Send button posts it: signed for the one who sends it."""
    form = {
        "audience": "confirmed",
        "reply_to": "sender",
        "language": "en",
        "subject": "Your visit to the Seoul Urban Mobility Centre",
        "body": "Dear {name},\n\nThe bus for {programme} leaves at 8:30.",
        "send": "1",
    }
    draft = messages.Draft(
        messages.Audience.CONFIRMED,
        messages.ReplyTo.SENDER,
        messages.Version("en", form["subject"], form["body"]),
    )
    count = messages.audience_counts(programme)[messages.Audience.CONFIRMED]
    form["draft_digest"] = messages.digest(draft, programme_id=programme.id, count=count)
    return form


def _message_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    """The published programme's confirmed participant: enough to send and print."""
    published = w["published"]
    on_programme = {"centre_slug": w["centre"].slug, "programme_id": published.id}
    requests = {
        "manage.message_participants": lambda: (on_programme, _signed_message(published)),
        "manage.sent_messages": lambda: (on_programme, {}),
        "manage.sign_in_sheet": lambda: (
            {**on_programme, "session_id": published.sessions[0].id},
            {},
        ),
        "manage.programme_badges": lambda: (on_programme, {}),
    }
    return requests[endpoint]() if endpoint in requests else None


def _prerequisite_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    """The draft's requirements: the published programme is added, the finished one removed."""
    on_draft = {"centre_slug": w["centre"].slug, "programme_id": w["draft"].id}
    if endpoint == "manage.programme_prerequisites":
        return on_draft, {"required": str(w["published"].id)}
    if endpoint == "manage.remove_prerequisite":
        db.session.add(
            ProgrammePrerequisite(programme=w["draft"], required_programme=w["finished"])
        )
        db.session.flush()
        return {**on_draft, "required_id": w["finished"].id}, {}
    return None
