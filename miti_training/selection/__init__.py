"""Scored selection: a programme's rubric, reviewers' score sheets, the ranked list of
applications, the proposal of a balanced group and confirming it in one action.

Above registrations: confirming goes through registrations' decision services, so seats, the
audit trail and the participants' emails stay theirs.
"""
