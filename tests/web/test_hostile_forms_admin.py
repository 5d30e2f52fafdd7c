"""Every /admin form, posted with random and hostile values by an administrator.

The requests are the admin access matrix's own (tests/support/routes.py). Never a 500, never
reflected unescaped, and when the input is refused the database is unchanged.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import empty_every_table
from tests.support.factories import make_admin
from tests.support.hostile import FORM_SETTINGS, post_hostile_form
from tests.support.pages import endpoint_url as _url
from tests.support.routes import ADMIN_ROUTES, admin_request, admin_snapshot, make_admin_world

POST_ROUTES = [endpoint for method, endpoint in ADMIN_ROUTES if method == "POST"]


@pytest.mark.parametrize("endpoint", POST_ROUTES)
@FORM_SETTINGS
@given(data=st.data())
def test_admin_form_survives_hostile_values(app, db, login, endpoint, data):
    empty_every_table()  # each example starts from the same world
    world = make_admin_world()
    client = app.test_client()
    login(make_admin(), target_client=client)
    values, form = admin_request(endpoint, world)
    post_hostile_form(client, _url(app, endpoint, **values), form, data, snapshot=admin_snapshot)
