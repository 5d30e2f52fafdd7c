"""What each enrolment policy means for an application: the one place that says so."""

from miti_training.models import EnrolmentPolicy, Programme


def decided_by_staff(programme: Programme) -> bool:
    """Applications wait for the centre's decision (review, and nomination whose nominees
    staff select): they are applied, take no seat and need a motivation."""
    return programme.enrolment_policy in (EnrolmentPolicy.REVIEW, EnrolmentPolicy.NOMINATION)


def by_nomination(programme: Programme) -> bool:
    """Only officials put forward by a focal point of their city may apply."""
    return programme.enrolment_policy == EnrolmentPolicy.NOMINATION
