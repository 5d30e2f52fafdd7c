"""News posts of a programme: written and translated by the centre's staff, published by its
director.

Posts are loaded by id *and* programme, the programme by id *and* centre, so another centre's
or programme's post is a 404. Coordinators write and change drafts; publishing, unpublishing
and changing a published post need the director (or an administrator).
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from miti_training.albums import public as public_albums
from miti_training.forms.common import ActionForm
from miti_training.forms.news import NewsPostForm
from miti_training.models import MembershipRole, NewsPost, Programme
from miti_training.news import queries, rules, writing
from miti_training.permissions import centre_role_required
from miti_training.web.loaders import programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt, check_action_form

COORDINATOR = MembershipRole.COORDINATOR
DIRECTOR = MembershipRole.DIRECTOR


def _post_or_404(programme: Programme, post_id: int) -> NewsPost:
    return queries.post_in_programme(programme, post_id) or abort(404)


def _to_list(centre, programme: Programme):
    return redirect(
        url_for("manage.programme_news", centre_slug=centre.slug, programme_id=programme.id)
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/news")
@centre_role_required(COORDINATOR)
def programme_news(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    return render_template(
        "manage/news.html",
        centre=centre,
        programme=programme,
        posts=queries.posts_of_programme(programme),
        can_publish=rules.can_publish(current_user, programme),
        publish_refusal=rules.publish_refusal(programme),
        action_form=ActionForm(),
    )


def _post_form(programme: Programme, post: NewsPost | None = None) -> NewsPostForm:
    """The form, filled in with post's values, offering the programme's public photos as cover."""
    form = NewsPostForm(data=NewsPostForm.initial_data(post)) if post else NewsPostForm()
    form.offer_covers(public_albums.programme_albums(programme))
    return form


def _render_form(centre, programme, post, form: NewsPostForm, original: str):
    page = render_template(
        "manage/news_form.html",
        centre=centre,
        programme=programme,
        post=post,
        form=form,
        translation_languages=form.translation_languages(original),
    )
    return page, 422 if form.is_submitted() else 200


@bp.route("/<centre_slug>/programmes/<int:programme_id>/news/new", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def new_news_post(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = _post_form(programme)
    original = "en"  # the fieldsets shown before a language is saved
    if form.validate_on_submit():
        post = attempt(
            form,
            lambda: writing.create_post(
                programme,
                form.values(),
                actor=current_user,
                translations=form.translated_values(original),
            ),
        )
        if post is not REFUSED:
            flash(
                _("The draft post “%(title)s” has been saved.", title=post.title),
                "success",
            )
            return _to_list(centre, programme)
    return _render_form(centre, programme, None, form, original)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/news/<int:post_id>/edit",
    methods=["GET", "POST"],
)
@centre_role_required(COORDINATOR)
def edit_news_post(centre, programme_id: int, post_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    post = _post_or_404(programme, post_id)
    if not rules.can_edit(current_user, post):
        abort(403)
    original = post.original_language
    form = _post_form(programme, post)
    if form.validate_on_submit():
        changed = attempt(
            form,
            lambda: writing.update_post(
                post,
                form.values(),
                actor=current_user,
                translations=form.translated_values(original),
            ),
        )
        if changed is not REFUSED:
            if changed:
                flash(_("The post “%(title)s” has been saved.", title=post.title), "success")
            else:
                flash(_("Nothing to save: no value was changed."), "info")
            return _to_list(centre, programme)
    return _render_form(centre, programme, post, form, original)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/news/<int:post_id>/publish", methods=["POST"]
)
@centre_role_required(DIRECTOR)
def publish_news_post(centre, programme_id: int, post_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    post = _post_or_404(programme, post_id)
    check_action_form()
    if attempt(None, lambda: writing.publish(post, actor=current_user)) is not REFUSED:
        flash(
            _(
                "“%(title)s” is published: it is on the programme’s page, the centre’s page, the home page and the news feeds.",
                title=post.title,
            ),
            "success",
        )
    return _to_list(centre, programme)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/news/<int:post_id>/unpublish", methods=["POST"]
)
@centre_role_required(DIRECTOR)
def unpublish_news_post(centre, programme_id: int, post_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    post = _post_or_404(programme, post_id)
    check_action_form()
    if attempt(None, lambda: writing.unpublish(post, actor=current_user)) is not REFUSED:
        flash(
            _("“%(title)s” is a draft again: it has left the public pages.", title=post.title),
            "success",
        )
    return _to_list(centre, programme)
