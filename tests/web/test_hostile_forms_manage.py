"""Every /manage form, posted with random and hostile values by the centre's director.

The requests are the access matrix's own (tests/support/routes.py), so a new form is covered as
soon as it has a row there. Never a 500, never reflected unescaped, and when the input is
refused the database is unchanged.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import empty_every_table
from tests.support.factories import make_staff
from tests.support.hostile import FORM_SETTINGS, post_hostile_form
from tests.support.pages import endpoint_url as _url
from tests.support.routes import (
    COORDINATOR_ROUTES,
    DIRECTOR_ROUTES,
    IMPORT_ROUTES,
    make_manage_world,
    manage_request,
    manage_snapshot,
)
from tests.support.selection_routes import REVIEWER_ROUTES

POST_ROUTES = [
    endpoint
    for method, endpoint in COORDINATOR_ROUTES + DIRECTOR_ROUTES + REVIEWER_ROUTES
    if method == "POST" and (method, endpoint) not in IMPORT_ROUTES
]


@pytest.mark.parametrize("endpoint", POST_ROUTES)
@FORM_SETTINGS
@given(data=st.data())
def test_manage_form_survives_hostile_values(app, db, login, endpoint, data):
    empty_every_table()  # each example starts from the same world
    world = make_manage_world()
    client = app.test_client()
    login(make_staff(world["centre"], "director"), target_client=client)
    values, form = manage_request(endpoint, world)
    post_hostile_form(client, _url(app, endpoint, **values), form, data, snapshot=manage_snapshot)
