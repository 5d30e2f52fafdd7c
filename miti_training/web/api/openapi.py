"""The OpenAPI 3.1 document, generated from the pydantic models in schemas.py."""

import copy
from functools import cache

from miti_training.web.api.schemas import (
    DEFAULT_PER_PAGE,
    REF_TEMPLATE,
    CentreList,
    Error,
    Language,
    ProgrammeDetail,
    ProgrammePage,
    component_schemas,
)


def _ref(name: str) -> dict:
    return {"$ref": REF_TEMPLATE.format(model=name)}


def _json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _error_response(description: str) -> dict:
    return {"description": description, "content": _json_content(_ref(Error.__name__))}


def _ok(description: str, model) -> dict:
    return {
        "description": description,
        "headers": {
            "Cache-Control": {
                "description": "public, max-age=60",
                "schema": {"type": "string"},
            }
        },
        "content": _json_content(_ref(model.__name__)),
    }


def _without_null(schema: dict) -> dict:
    """A query parameter is absent rather than null: drop the null branch of Optional[X]."""
    schema = copy.deepcopy(schema)
    branches = schema.pop("anyOf", None)
    if branches is not None:
        kept = [b for b in branches if b.get("type") != "null"]
        if len(kept) == 1:
            schema.update(kept[0])
        else:
            schema["anyOf"] = kept
    if schema.get("default", ...) is None:
        del schema["default"]
    return schema


def _query_parameters(query_schema: dict) -> list[dict]:
    parameters = []
    for name, prop in query_schema["properties"].items():
        prop = _without_null(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        parameter = {"name": name, "in": "query", "required": False, "schema": prop}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


LANG_PARAMETER = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of titles, summaries, descriptions and error messages; "
    "without it, Accept-Language decides, else English. Another value is ignored. "
    "Text missing in that language falls back to the programme's original language.",
    "schema": _ref(Language.__name__),
}

ACCEPT_LANGUAGE_PARAMETER = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Used when lang is not given.",
    "schema": {"type": "string"},
}


def openapi_document() -> dict:
    """The whole document (a copy: callers may change it)."""
    return copy.deepcopy(_document())


@cache
def _document() -> dict:
    """Built once per process: it depends on code only."""
    components, query_schema = component_schemas()
    bad_request = _error_response("A parameter could not be understood; `field` names it.")
    not_found = _error_response("No published programme with this slug.")
    language_parameters = [LANG_PARAMETER, ACCEPT_LANGUAGE_PARAMETER]
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "MITI Training API",
            "version": "1.0.0",
            "summary": "Public, read-only catalogue of the Metropolis International "
            "Training Institute.",
            "description": "Published, completed and cancelled programmes of every MITI "
            "centre, with their sessions, and the centres. Times are ISO 8601 in UTC with "
            "their offset; sessions also give the centre's wall-clock time. Responses may "
            "be cached for 60 seconds.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/programmes": {
                "get": {
                    "operationId": "listProgrammes",
                    "summary": "Search the catalogue",
                    "description": "Programmes matching every filter given, soonest first, "
                    f"{DEFAULT_PER_PAGE} a page unless per_page says otherwise. Without a date "
                    "range or include_past, programmes that have ended are left out.",
                    "parameters": [*_query_parameters(query_schema), *language_parameters],
                    "responses": {
                        "200": _ok("One page of programmes.", ProgrammePage),
                        "400": bad_request,
                    },
                }
            },
            "/programmes/{slug}": {
                "get": {
                    "operationId": "getProgramme",
                    "summary": "One programme with its description and sessions",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        *language_parameters,
                    ],
                    "responses": {
                        "200": _ok("The programme.", ProgrammeDetail),
                        "404": not_found,
                    },
                }
            },
            "/centres": {
                "get": {
                    "operationId": "listCentres",
                    "summary": "Every MITI centre",
                    "responses": {"200": _ok("The centres.", CentreList)},
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": _json_content({"type": "object"}),
                        }
                    },
                }
            },
        },
        "components": {"schemas": components},
    }
