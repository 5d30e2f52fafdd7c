"""Automatic emails to participants: a reminder before the first session, and a follow-up with
the certificate once the programme is over.

`flask send-reminders` runs send_due() under a timer every few minutes. Each email goes to a
person once: its row in reminders_sent, unique per (registration, kind), is inserted (and
flushed) before the outbox row, in the same transaction, so a second run at the same time
either waits for the first and then hits the unique key, or finds the row and skips: nobody
gets it twice, and a run that fails leaves it due for the next one.
"""

from miti_training.reminders.due import due
from miti_training.reminders.sending import send_reminder

__all__ = ["due", "send_reminder"]
