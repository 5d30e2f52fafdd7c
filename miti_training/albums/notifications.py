"""The centre's staff are told when a participant withdraws their photo consent while the
programme's albums show photos: someone has to look for that participant in them and hide
those photos, as the participant was promised. Queued with the withdrawal, so sent once,
after its commit; nothing is sent for a programme without photos."""

from flask_babel import lazy_gettext as _l

from miti_training.albums.staff import shown_photo_count
from miti_training.mail import queue_rendered
from miti_training.models import Registration
from miti_training.registrations.notifications import staff_emails
from miti_training.urls import external_url


def tell_staff_of_withdrawal(registration: Registration) -> None:
    programme = registration.programme
    photos = shown_photo_count(programme)
    if not photos:
        return
    centre = programme.centre
    link = external_url(
        "manage.programme_detail", centre_slug=centre.slug, programme_id=programme.id
    )
    messages = staff_emails(
        programme,
        "photo_consent_withdrawn",
        lambda title: _l("Photo consent withdrawn: %(title)s", title=title),
        registration=registration,
        photos=photos,
        link=link,
    )
    for message in messages:
        queue_rendered(message)
