"""The public pages that say whether a certificate or transcript code is genuine.

It shows only what is printed on the certificate (name, programme, dates, centre, issue date)
and whether it is valid; a revoked certificate shows when it was revoked, never why. Lookups
are rate-limited per client address so codes cannot be enumerated.
"""

from flask import make_response, redirect, render_template, request, url_for
from flask_babel import get_locale

from miti_training.attendance import certificates
from miti_training.training_record import transcripts
from miti_training.web.certificates.blueprint import bp
from miti_training.web.downloads import no_store
from miti_training.web.limits import certificate_lookups_per_address


@bp.route("/")
@certificate_lookups_per_address
def lookup():
    typed = request.args.get("code")
    invalid = False
    if typed is not None:
        code = certificates.normalise_code(typed)
        if code is not None:
            return redirect(url_for("certificates.verify", code=code))
        invalid = True
    return render_template("certificates/lookup.html", invalid=invalid), 400 if invalid else 200


@bp.route("/<code>")
@certificate_lookups_per_address
def verify(code: str):
    found = certificates.verify(code, str(get_locale() or "en"))
    if found is None:
        return render_template("certificates/unknown.html"), 404
    return render_template("certificates/verify.html", found=found)


@bp.route("/transcripts/<code>")
@certificate_lookups_per_address
def verify_transcript(code: str):
    """A transcript's public check: exactly the lines it printed, the name, the issue date."""
    transcript = transcripts.verify(code)
    if transcript is None:
        return render_template("certificates/unknown_transcript.html"), 404
    # A person's name and record: kept by no cache (docs/security.md, item 25).
    return no_store(
        make_response(
            render_template(
                "certificates/transcript.html",
                transcript=transcript,
                entries=transcripts.entries(transcript),
            )
        )
    )
