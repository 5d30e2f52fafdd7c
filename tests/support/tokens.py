"""Signed links gone wrong on purpose: expired by a given age, or with a broken signature."""

import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer


def old_token(app, salt: str, payload: dict, age_seconds: int) -> str:
    """A correctly signed token whose timestamp is age_seconds in the past."""

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age_seconds

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt, signer=PastSigner)
    return serializer.dumps(payload)


def flip_signature(token: str) -> str:
    """Change the signature's first character: the last one may only carry base64 padding bits."""
    head, _, signature = token.rpartition(".")
    return f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
