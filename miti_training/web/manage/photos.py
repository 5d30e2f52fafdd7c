"""Centre management: one photo of a session's album, its caption, place, cover, visibility,
and deleting it. Every action answers with the album's page and a message."""

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from miti_training import formatting
from miti_training.albums import curating
from miti_training.forms.albums import CaptionForm, MovePhotoForm
from miti_training.forms.common import ActionForm
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.web.loaders import photo_of_session_or_404
from miti_training.web.manage.albums import ALBUM, session_in_centre_or_404, to_album
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt, check_action_form

COORDINATOR = MembershipRole.COORDINATOR
PHOTO = f"{ALBUM}/photos/<int:photo_id>"


def _photo(centre, programme_id: int, session_id: int, photo_id: int):
    programme, session = session_in_centre_or_404(centre, programme_id, session_id)
    return programme, session, photo_of_session_or_404(session, photo_id)


def _number(photo) -> str:
    """The photo's place in its album, in the viewer's digits."""
    return formatting.number(photo.album.photos.index(photo) + 1)


@bp.route(f"{PHOTO}/caption", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def photo_caption(centre, programme_id: int, session_id: int, photo_id: int):
    programme, session, photo = _photo(centre, programme_id, session_id, photo_id)
    form = CaptionForm(data=CaptionForm.initial_data(photo))
    if form.validate_on_submit():
        changed = attempt(
            form,
            lambda: curating.set_caption(
                photo, actor=current_user, **form.values(programme.original_language)
            ),
        )
        if changed is not REFUSED:
            if changed:
                flash(_("The caption of photo %(n)s has been saved.", n=_number(photo)), "success")
            else:
                flash(_("Nothing to save: no value was changed."), "info")
            return to_album(session)
    return render_template(
        "manage/photo_caption.html",
        centre=centre,
        programme=programme,
        session=session,
        photo=photo,
        number=_number(photo),
        form=form,
        translation_languages=form.translation_languages(programme.original_language),
    )


@bp.route(f"{PHOTO}/move", methods=["POST"])
@centre_role_required(COORDINATOR)
def move_photo(centre, programme_id: int, session_id: int, photo_id: int):
    _programme, session, photo = _photo(centre, programme_id, session_id, photo_id)
    form = check_action_form(MovePhotoForm())
    moved = attempt(None, lambda: curating.move(photo, form.direction.data, actor=current_user))
    if moved is True:
        flash(_("Photo moved: it is now number %(n)s.", n=_number(photo)), "success")
    elif moved is not REFUSED:
        flash(_("The photo is already at that end of the album."), "info")
    return to_album(session)


@bp.route(f"{PHOTO}/hide", methods=["POST"])
@centre_role_required(COORDINATOR)
def hide_photo(centre, programme_id: int, session_id: int, photo_id: int):
    _programme, session, photo = _photo(centre, programme_id, session_id, photo_id)
    check_action_form()
    if attempt(None, lambda: curating.set_hidden(photo, True, actor=current_user)) is not REFUSED:
        flash(
            _("Photo %(n)s is hidden: the public no longer sees it.", n=_number(photo)), "success"
        )
    return to_album(session)


@bp.route(f"{PHOTO}/show", methods=["POST"])
@centre_role_required(COORDINATOR)
def show_photo(centre, programme_id: int, session_id: int, photo_id: int):
    _programme, session, photo = _photo(centre, programme_id, session_id, photo_id)
    check_action_form()
    if attempt(None, lambda: curating.set_hidden(photo, False, actor=current_user)) is not REFUSED:
        flash(
            _("Photo %(n)s is shown again once the session has ended.", n=_number(photo)),
            "success",
        )
    return to_album(session)


@bp.route(f"{PHOTO}/cover", methods=["POST"])
@centre_role_required(COORDINATOR)
def set_album_cover(centre, programme_id: int, session_id: int, photo_id: int):
    _programme, session, photo = _photo(centre, programme_id, session_id, photo_id)
    check_action_form()
    if attempt(None, lambda: curating.set_cover(photo, actor=current_user)) is not REFUSED:
        flash(_("Photo %(n)s is now the album's cover.", n=_number(photo)), "success")
    return to_album(session)


@bp.route(f"{PHOTO}/delete", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def delete_photo(centre, programme_id: int, session_id: int, photo_id: int):
    programme, session, photo = _photo(centre, programme_id, session_id, photo_id)
    form = ActionForm()
    if form.validate_on_submit():
        number = _number(photo)
        if attempt(None, lambda: curating.delete(photo, actor=current_user)) is not REFUSED:
            flash(_("Photo %(n)s has been deleted.", n=number), "success")
        return to_album(session)
    return render_template(
        "manage/photo_delete.html",
        centre=centre,
        programme=programme,
        session=session,
        photo=photo,
        number=_number(photo),
        form=form,
    )
