"""Links that add a programme to Google Calendar or Outlook on the web, beside its .ics file.

Such a link carries one event. A programme of one session gives that session's times (in UTC,
which both services show in the reader's own zone); a programme of several sessions gives
all-day events over its dates, and its description points at the timetable and the .ics file,
which hold every session.
"""

from dataclasses import dataclass
from datetime import UTC, timedelta
from urllib.parse import quote, urlencode

from miti_training.models import Programme

GOOGLE_BASE = "https://calendar.google.com/calendar/render"
OUTLOOK_BASE = "https://outlook.live.com/calendar/0/deeplink/compose"
#: Both services cut long texts; a summary and the page's address are enough.
MAX_DETAILS = 1500


@dataclass(frozen=True)
class CalendarLinks:
    google: str
    outlook: str


def _encoded(base: str, params: dict[str, str]) -> str:
    # quote (%20), not quote_plus: both services read "+" in some fields as a plus sign.
    return f"{base}?{urlencode(params, quote_via=quote, safe='')}"


def calendar_links(programme: Programme, *, text, url: str) -> CalendarLinks | None:
    """Google and Outlook links for programme in the language of text (programme.text_in);
    url is its public page. None without sessions (nothing to put in a calendar)."""
    sessions = list(programme.sessions)
    if not sessions:
        return None
    details = "\n\n".join(part for part in ((text.summary or "")[:MAX_DETAILS], url) if part)
    location = (sessions[0].location if len(sessions) == 1 else "") or programme.venue or ""
    google = {"action": "TEMPLATE", "text": text.title, "details": details}
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": text.title,
        "body": details,
    }
    if len(sessions) == 1:
        start, end = (
            moment.astimezone(UTC) for moment in (sessions[0].starts_at, sessions[0].ends_at)
        )
        google["dates"] = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
        outlook["startdt"] = f"{start:%Y-%m-%dT%H:%M:%SZ}"
        outlook["enddt"] = f"{end:%Y-%m-%dT%H:%M:%SZ}"
    else:
        first = programme.starts_on or min(s.starts_at for s in sessions).date()
        last = programme.ends_on or max(s.ends_at for s in sessions).date()
        after = last + timedelta(days=1)  # both services end all-day events the day after
        google["dates"] = f"{first:%Y%m%d}/{after:%Y%m%d}"
        outlook["allday"] = "true"
        outlook["startdt"] = first.isoformat()
        outlook["enddt"] = after.isoformat()
    if location:
        google["location"] = location
        outlook["location"] = location
    return CalendarLinks(
        google=_encoded(GOOGLE_BASE, google), outlook=_encoded(OUTLOOK_BASE, outlook)
    )
