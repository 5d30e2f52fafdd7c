"""Centre management: a session's photo album, uploading to it, its zip and its photos' files.

The session is looked up among the sessions of a programme loaded by id *and* centre, and a
photo among the photos of that session's album, so another centre's id is a 404. Coordinators
and directors of the centre (and admins) manage albums whatever the programme's status.
"""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training import formatting
from miti_training.albums import images, staff, uploading
from miti_training.forms.albums import CaptionForm, MovePhotoForm, UploadPhotosForm
from miti_training.forms.common import ActionForm
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.web.downloads import each_step_in_app_context, no_store
from miti_training.web.loaders import programme_in_centre_or_404, session_of_programme_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt

COORDINATOR = MembershipRole.COORDINATOR
ALBUM = "/<centre_slug>/programmes/<int:programme_id>/sessions/<int:session_id>/album"


def session_in_centre_or_404(centre, programme_id: int, session_id: int):
    """(programme, session) of centre; any other id is a 404."""
    programme = programme_in_centre_or_404(centre, programme_id)
    return programme, session_of_programme_or_404(programme, session_id)


def to_album(session):
    programme = session.programme
    return redirect(
        url_for(
            "manage.session_album",
            centre_slug=programme.centre.slug,
            programme_id=programme.id,
            session_id=session.id,
        )
    )


def _render(centre, programme, session, upload_form):
    album, photos = staff.album_photos(session)
    return render_template(
        "manage/album.html",
        centre=centre,
        programme=programme,
        session=session,
        album=album,
        photos=photos,
        upload_form=upload_form,
        form=ActionForm(),
        move_form=MovePhotoForm(),
        caption_form_class=CaptionForm,
        without_consent=staff.without_photo_consent(programme),
        max_files=current_app.config["PHOTO_MAX_FILES"],
        max_mb=current_app.config["PHOTO_MAX_BYTES"] // 2**20,
        max_per_album=current_app.config["PHOTO_MAX_PER_ALBUM"],
        session_title=formatting.translated(session).title,
    )


@bp.route(ALBUM)
@centre_role_required(COORDINATOR)
def session_album(centre, programme_id: int, session_id: int):
    programme, session = session_in_centre_or_404(centre, programme_id, session_id)
    return _render(centre, programme, session, UploadPhotosForm())


@bp.route(f"{ALBUM}/upload", methods=["POST"])
@centre_role_required(COORDINATOR)
def upload_photos(centre, programme_id: int, session_id: int):
    programme, session = session_in_centre_or_404(centre, programme_id, session_id)
    form = UploadPhotosForm()
    if form.validate_on_submit():
        uploads = form.uploads(current_app.config["PHOTO_MAX_BYTES"])
        added = attempt(form, lambda: uploading.add_photos(session, uploads, actor=current_user))
        if added is not REFUSED:
            _say_what_was_added(added)
            return to_album(session)
    return _render(centre, programme, session, form), 422


def _say_what_was_added(added: uploading.Added) -> None:
    if added.photos:
        flash(
            ngettext(
                "%(num)d photo has been added to the album.",
                "%(num)d photos have been added to the album.",
                len(added.photos),
            ),
            "success",
        )
    if added.already_there:
        flash(
            ngettext(
                "%(files)s was already in the album and has not been added again.",
                "%(files)s were already in the album and have not been added again.",
                len(added.already_there),
                files=formatting.list_of(added.already_there),
            ),
            "info",
        )


@bp.route(f"{ALBUM}/photos.zip")
@centre_role_required(COORDINATOR)
def album_zip(centre, programme_id: int, session_id: int):
    programme, session = session_in_centre_or_404(centre, programme_id, session_id)
    album, photos = staff.album_photos(session)
    if album is None or not photos:
        flash(_("This album has no photos yet."), "info")
        return to_album(session)
    parts = staff.album_zip_parts(album.id)
    app = current_app._get_current_object()
    response = current_app.response_class(
        each_step_in_app_context(app, parts), mimetype="application/zip"
    )
    name = f"{programme.slug}-session-{session.id}-photos.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return no_store(response)


@bp.route(f"{ALBUM}/photos/<int:photo_id>/<size>")
@centre_role_required(COORDINATOR)
def staff_photo_file(centre, programme_id: int, session_id: int, photo_id: int, size: str):
    programme, session = session_in_centre_or_404(centre, programme_id, session_id)
    found = staff.staff_file(session, photo_id, size)
    if found is None:
        abort(404)
    data, mimetype = found
    response = current_app.response_class(data, mimetype=mimetype)
    if size == "original":
        name = f"{programme.slug}-photo-{photo_id}.{images.EXTENSIONS.get(mimetype, 'bin')}"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return no_store(response)
