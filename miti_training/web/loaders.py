"""What an address names, loaded or a 404; and the redirects to the pages that show it.

Staff pages load a programme by id *and* centre, a session or question among its programme's,
a registration by id *and* centre: an id of another centre (or programme) is a 404, as if it
did not exist. A participant's registration is loaded by id *and* owner, a public programme by
its slug (drafts are 404).
"""

from flask import abort, redirect, url_for
from flask_login import current_user

from miti_training.albums.curating import photo_in_session
from miti_training.attendance import certificates
from miti_training.models import (
    Certificate,
    Programme,
    ProgrammeQuestion,
    ProgrammeSession,
    Registration,
)
from miti_training.network.centres import centre_programme
from miti_training.network.roles import can_manage
from miti_training.programmes import catalogue
from miti_training.registrations import queries
from miti_training.registrations.questions import question_in_programme
from miti_training.selection import rubric, scoring


def programme_in_centre_or_404(centre, programme_id: int) -> Programme:
    return centre_programme(centre, programme_id) or abort(404)


def session_of_programme_or_404(programme: Programme, session_id: int) -> ProgrammeSession:
    for session in programme.sessions:
        if session.id == session_id:
            return session
    abort(404)


def photo_of_session_or_404(session: ProgrammeSession, photo_id: int):
    """A photo of session's album; another album's id is a 404."""
    return photo_in_session(session, photo_id) or abort(404)


def question_of_programme_or_404(programme: Programme, question_id: int) -> ProgrammeQuestion:
    return question_in_programme(programme, question_id) or abort(404)


def registration_in_centre_or_404(centre, registration_id: int) -> Registration:
    return queries.registration_in_centre(centre, registration_id) or abort(404)


def registration_in_programme_or_404(programme: Programme, registration_id: int) -> Registration:
    return certificates.registration_in_programme(programme, registration_id) or abort(404)


def certificate_in_programme_or_404(programme: Programme, certificate_id: int) -> Certificate:
    return certificates.certificate_in_programme(programme, certificate_id) or abort(404)


def own_registration_or_404(registration_id: int) -> Registration:
    """The current user's registration; anyone else's id is a 404."""
    return queries.registration_of_user(current_user, registration_id) or abort(404)


def public_programme_or_404(slug: str) -> Programme:
    """A programme the public may see; drafts and impossible slugs are a 404."""
    return catalogue.programme_by_slug(slug) or abort(404)


def programme_page_or_404(slug: str) -> Programme:
    """A public programme, or a draft previewed by its centre's staff or an admin; for anyone
    else a draft is a 404, as if it did not exist."""
    programme = catalogue.programme_by_slug(slug)
    if programme is not None:
        return programme
    draft = catalogue.draft_by_slug(slug)
    if draft is not None and can_manage(current_user, draft.centre):
        return draft
    abort(404)


# Redirects -----------------------------------------------------------------------------------


def to_programme_page(programme: Programme):
    """To the staff's page of programme."""
    return redirect(
        url_for(
            "manage.programme_detail",
            centre_slug=programme.centre.slug,
            programme_id=programme.id,
        )
    )


def to_registration_page(registration: Registration):
    """To the staff's page of registration."""
    return redirect(
        url_for(
            "manage.registration_detail",
            centre_slug=registration.programme.centre.slug,
            registration_id=registration.id,
        )
    )


def to_own_registration(registration: Registration):
    """To the participant's page of their registration."""
    return redirect(url_for("registrations.detail", registration_id=registration.id))


def criterion_of_programme_or_404(programme: Programme, criterion_id: int):
    return rubric.criterion_in_programme(programme, criterion_id) or abort(404)


def application_of_programme_or_404(programme: Programme, registration_id: int) -> Registration:
    """A pending application of programme; any other id (or a decided one) is a 404."""
    return scoring.application_in_programme(programme, registration_id) or abort(404)
