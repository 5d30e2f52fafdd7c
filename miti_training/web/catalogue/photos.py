"""Public photo pages and the images they show.

A photo is public while its programme is public, its session has ended and staff have not
hidden it; anything else is a 404, the same as an id that does not exist. The images are the
renditions re-encoded without metadata; the original is never served here. An image's ETag
is the digest of its bytes, so a cache asks again after PHOTO_CACHE_SECONDS (a photo hidden
meanwhile is then a 404) and gets a 304 while it has not changed. The image view never loads
the signed-in user, so nothing personal can reach the shared cache through it.
"""

from flask import abort, current_app, render_template, request

from miti_training import formatting
from miti_training.albums import public
from miti_training.web.catalogue.blueprint import bp
from miti_training.web.loaders import public_programme_or_404

#: The two renditions' names in addresses.
SIZES = ("web", "thumb")


@bp.route("/programmes/<slug>/photos/<int:photo_id>")
def photo_page(slug: str, photo_id: int):
    programme = public_programme_or_404(slug)
    found = public.public_photo(programme, photo_id)
    if found is None:
        abort(404)
    page = render_template(
        "catalogue/photo.html",
        programme=programme,
        text=formatting.programme_text(programme),
        found=found,
        photo=found.photo,
    )
    public.count_view(found.photo.album_id)  # after the page is drawn: counting ends the read
    return page


@bp.route("/photos/<int:photo_id>/<size>.jpg")
def photo_image(photo_id: int, size: str):
    if size not in SIZES:
        abort(404)
    if request.if_none_match:
        # A revalidation reads the digest alone; the bytes only when they changed.
        digest = public.public_digest(photo_id, size)
        if digest is None:
            abort(404)
        if request.if_none_match.contains(digest):
            return _image_response(digest, status=304)
    found = public.public_file(photo_id, size)
    if found is None:
        abort(404)
    data, digest = found
    response = _image_response(digest)
    response.set_data(data)
    return response


def _image_response(digest: str, status: int = 200):
    response = current_app.response_class(mimetype="image/jpeg", status=status)
    response.set_etag(digest)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PHOTO_CACHE_SECONDS"]
    # Shared caches revalidate (a 304 reads only the digest): a photo hidden on a
    # participant's request then stops reaching anyone new at once.
    response.cache_control.s_maxage = 0
    return response
