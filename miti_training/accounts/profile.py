"""A participant's own account: the details they may change, and their password."""

from miti_training import audit
from miti_training.accounts.passwords import replace_password
from miti_training.errors import WrongPassword
from miti_training.models import User
from miti_training.network.member_cities import chosen_member_city


def update_profile(
    user: User,
    *,
    full_name: str,
    member_city_id: int,
    job_title: str,
    preferred_language: str,
    timezone: str,
) -> None:
    """Update the details a participant may change themselves."""
    chosen_member_city(member_city_id)
    user.full_name = full_name.strip()
    user.member_city_id = member_city_id
    user.job_title = job_title.strip()
    user.preferred_language = preferred_language
    user.timezone = timezone


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; other sessions end."""
    if not user.check_password(current_password):
        raise WrongPassword()
    replace_password(user, new_password)
    audit.record("account.password_change", actor=user, subject_user=user)
