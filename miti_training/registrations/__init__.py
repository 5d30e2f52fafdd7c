"""Registrations: who takes part in a programme, and every rule about it.

- Policies: first_come takes a seat at once (else the waiting list, else refused); review
  records an application that staff confirm, waitlist or decline (enrolment, decisions).
- The window: a published programme takes registrations from its opening (inclusive) to its
  closing (exclusive) time; one definition for pages, the catalogue's SQL and the services
  (window).
- The status changes allowed, and what the participant and staff may do, come from one table
  (states).
- Seats: programmes.seats_taken equals the registrations holding a seat (confirmed, offered)
  and never exceeds the capacity; waiting-list positions are 1..n; a freed seat goes to the
  first in line (seats), or is offered to them for a time when the programme says so
  (offering, offers).
- Every change locks the programme row first, then reads fresh rows (locking); services add
  and flush, never commit, and email only after the commit (notifications).
"""
