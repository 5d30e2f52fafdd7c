"""The OpenAPI 3.1 document, generated from the pydantic models in schemas.py."""

import copy
from functools import cache

from miti_training.web.api.schemas import (
    DEFAULT_PER_PAGE,
    REF_TEMPLATE,
    CentreList,
    Error,
    LanguageQuery,
    ProgrammeDetail,
    ProgrammePage,
    ProgrammeQuery,
    component_schemas,
)


def _ref(name: str) -> dict:
    return {"$ref": REF_TEMPLATE.format(model=name)}


def _json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


#: Headers of the error answers that come with one (RFC 9110).
ALLOW_HEADER = {
    "description": "The methods this address accepts.",
    "required": True,
    "schema": {"type": "string", "examples": ["GET, HEAD, OPTIONS"]},
}
RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before asking again.",
    "schema": {"type": "integer", "minimum": 0},
}
CACHE_CONTROL_HEADER = {
    "description": "public, max-age=60",
    "schema": {"type": "string"},
}


def _error_response(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": _json_content(_ref(Error.__name__))}
    if headers:
        response["headers"] = headers
    return response


def _cacheable_error(description: str) -> dict:
    return _error_response(description, {"Cache-Control": CACHE_CONTROL_HEADER})


def _ok(description: str, model) -> dict:
    return {
        "description": description,
        "headers": {"Cache-Control": CACHE_CONTROL_HEADER},
        "content": _json_content(_ref(model.__name__)),
    }


def _answers_of_every_operation(*, reads_database: bool = True) -> dict:
    """What any GET of the API may answer besides its own statuses."""
    responses = {
        "405": _error_response(
            "A method other than GET, HEAD or OPTIONS; Allow lists those.",
            {"Allow": ALLOW_HEADER},
        ),
        "429": _error_response(
            "Too many requests from this client; Retry-After says how long to wait.",
            {"Retry-After": RETRY_AFTER_HEADER | {"required": True}},
        ),
    }
    if reads_database:
        responses["503"] = _error_response(
            "The database cannot be reached; try again later (Retry-After, when given, says when).",
            {"Retry-After": RETRY_AFTER_HEADER},
        )
    return responses


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
    components, query_schemas = component_schemas()
    list_parameters = [*_query_parameters(query_schemas[ProgrammeQuery]), ACCEPT_LANGUAGE_PARAMETER]
    language_parameters = [
        *_query_parameters(query_schemas[LanguageQuery]),
        ACCEPT_LANGUAGE_PARAMETER,
    ]
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
            "be cached for 60 seconds. Each query parameter is given at most once, never "
            "empty, and exactly as its schema says, or the answer is a 400 naming it; "
            "parameters this document does not list are ignored.",
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
                    "parameters": list_parameters,
                    "responses": {
                        "200": _ok("One page of programmes.", ProgrammePage),
                        "400": _cacheable_error(
                            "A parameter is empty, repeated or not what its schema says, or "
                            "date_from is after date_to; `field` names the parameter."
                        ),
                        "404": _cacheable_error(
                            "No centre has the slug given as `centre` (`field` is centre)."
                        ),
                        **_answers_of_every_operation(),
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
                            "examples": {
                                "demo": {
                                    "summary": "A programme of the demo data",
                                    "value": "peer-review-process-workshop",
                                }
                            },
                        },
                        *language_parameters,
                    ],
                    "responses": {
                        "200": _ok("The programme.", ProgrammeDetail),
                        "400": _cacheable_error(
                            "lang is empty, repeated or not one of the languages (`field` is lang)."
                        ),
                        "404": _cacheable_error("No published programme with this slug."),
                        **_answers_of_every_operation(),
                    },
                }
            },
            "/centres": {
                "get": {
                    "operationId": "listCentres",
                    "summary": "Every MITI centre",
                    "responses": {
                        "200": _ok("The centres.", CentreList),
                        **_answers_of_every_operation(),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "headers": {"Cache-Control": CACHE_CONTROL_HEADER},
                            "content": _json_content({"type": "object"}),
                        },
                        **_answers_of_every_operation(reads_database=False),
                    },
                }
            },
        },
        "components": {"schemas": components},
    }
