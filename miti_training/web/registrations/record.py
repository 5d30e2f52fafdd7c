"""Participants: their training record across every centre and year, and its transcripts.

A transcript is issued by a POST (it is kept, with its code) and downloaded by its owner
only: another person's transcript id is a 404, as if it did not exist.
"""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from miti_training.extensions import db
from miti_training.forms.common import ActionForm
from miti_training.training_record import history, transcripts
from miti_training.training_record.transcript_pdf import render_pdf
from miti_training.web.limits import transcripts_per_account
from miti_training.web.refusals import check_action_form
from miti_training.web.registrations.blueprint import bp


@bp.route("/my/record")
@login_required
def my_record():
    rows = history.record_of(current_user)
    return render_template(
        "registrations/record.html",
        rows=rows,
        attended=[row for row in rows if row.took_part],
        transcripts=transcripts.transcripts_of(current_user),
        form=ActionForm(),
    )


@bp.route("/my/record/transcripts", methods=["POST"])
@login_required
@transcripts_per_account
def issue_transcript():
    check_action_form()
    transcript = transcripts.issue(current_user)
    db.session.commit()
    flash(
        _(
            "Your transcript is ready, with the verification code %(code)s.",
            code=transcript.code,
        ),
        "success",
    )
    return redirect(url_for("registrations.my_record", _anchor="transcripts"))


@bp.route("/my/transcripts/<int:transcript_id>.pdf")
@login_required
def transcript_pdf(transcript_id: int):
    transcript = transcripts.own_transcript(current_user, transcript_id)
    if transcript is None:
        abort(404)
    response = Response(render_pdf(transcript), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{transcripts.pdf_filename(transcript)}"'
    )
    return response
