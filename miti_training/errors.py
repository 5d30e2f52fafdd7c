"""Domain errors: business rules broken, with a message a person understands."""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A business rule refused the action; the message is shown to the user."""

    default_message = _l("This action is not allowed.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class FieldError(DomainError):
    """A rule refused the value of one field (a taken slug, say); `field` names the form field."""

    def __init__(self, message, field: str):
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    default_message = _l("The requested item does not exist.")


class PermissionDenied(DomainError):
    default_message = _l("You do not have permission to do this.")


class EmailTaken(DomainError):
    default_message = _l("An account with this email address already exists.")


class WrongPassword(DomainError):
    default_message = _l("Your current password is not correct.")


class InvalidToken(DomainError):
    default_message = _l("This link is invalid or has expired.")


class ProgrammeFull(DomainError):
    default_message = _l("This programme is full.")


class AlreadyRegistered(DomainError):
    """One registration per participant and programme; `registration` is the existing one."""

    default_message = _l("You are already registered for this programme.")

    def __init__(self, message=None, registration=None):
        super().__init__(message)
        self.registration = registration


class RegistrationClosed(DomainError):
    default_message = _l("Registration for this programme is not open.")


class TransitionNotAllowed(DomainError):
    """The registration's status does not allow this change (see registrations.states.TRANSITIONS)."""

    def __init__(self, message, from_status=None, to_status=None):
        super().__init__(message)
        self.from_status = from_status
        self.to_status = to_status


class OfferExpired(DomainError):
    """A seat offered from the waiting list was not accepted before its deadline."""

    default_message = _l(
        "This offer has expired: the seat was held for you until its deadline and now goes to "
        "the next person on the waiting list."
    )


class NotNominated(DomainError):
    """Under the nomination policy only officials put forward by their city may apply."""

    default_message = _l(
        "This programme is by nomination of member cities: only officials nominated by their "
        "city's focal point can apply. Ask your city's focal point, or write to the centre."
    )


class NominationClosed(DomainError):
    default_message = _l("Nominations for this programme are not open.")


class AllocationUsedUp(DomainError):
    default_message = _l("Your city has used all its places for this programme.")


class PhotoRefused(FieldError):
    """An uploaded file cannot become a photo (not an image, too large, too many...)."""

    def __init__(self, message, field: str = "photos"):
        super().__init__(message, field)
