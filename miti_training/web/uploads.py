"""Request bodies larger than MAX_CONTENT_LENGTH, for the few routes that take them.

The limit must be known before anything reads the body, the CSRF check included (it runs
before the view), so it is decided by the request itself from the route it matched.
"""

from flask import Request, current_app

#: Endpoint -> the largest body it takes, from the configuration.
LARGE_BODIES = {
    # Every photo of one upload at its largest, and room for the form's other fields.
    "manage.upload_photos": lambda config: (
        config["PHOTO_MAX_FILES"] * config["PHOTO_MAX_BYTES"] + 2**20
    ),
}


class UploadRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app:
            larger = LARGE_BODIES.get(self.endpoint or "")
            if larger is not None:
                return larger(current_app.config)
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
