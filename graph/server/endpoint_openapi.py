"""The OpenAPI 3 description of the endpoint, served at /openapi.json.

Written out rather than generated: the SPARQL Protocol's shape (one query parameter, three
POST bodies, answers negotiated over seven media types) is what a client needs to read, and
the limits in force are part of it.
"""
from __future__ import annotations

from tttt_kg.graph.server.query_workers import Limits
from tttt_kg.graph.server.result_formats import GRAPH_TYPES, RESULT_TYPES

_TEXT = {"text/plain": {"schema": {"type": "string"}}}


def _errors(limits: Limits) -> dict:
    return {
        "400": {"description": "Malformed request or query (syntax error, nesting over the limit, unknown format)",
                "content": _TEXT},
        "403": {"description": "Refused: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, …) or SERVICE",
                "content": _TEXT},
        "406": {"description": "The Accept header allows no format this kind of query can be answered in",
                "content": _TEXT},
        "413": {"description": f"Over a limit: more than {limits.max_rows} rows/triples in the answer, or a query "
                               f"longer than {limits.max_query_chars} characters", "content": _TEXT},
        "415": {"description": "POST with a Content-Type that is not a SPARQL query", "content": _TEXT},
        "503": {"description": f"Stopped: the query ran over {limits.timeout:g} s or {limits.memory_mb} MB, or "
                               "every worker was busy; the next request is served", "content": _TEXT},
    }


def _answers() -> dict:
    content = {media: {"schema": {"type": "string"}} for media in [*RESULT_TYPES.values(), *GRAPH_TYPES.values()]}
    return {"description": "SELECT/ASK: SPARQL results; CONSTRUCT/DESCRIBE: an RDF graph", "content": content}


def openapi_document(limits: Limits) -> dict:
    fmt = {"name": "format", "in": "query", "required": False,
           "description": "Answer format instead of the Accept header: json, xml, csv, tsv, turtle, ntriples, jsonld, "
                          "rdfxml", "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv", "turtle",
                                                                           "ntriples", "jsonld", "rdfxml"]}}
    query = {"name": "query", "in": "query", "required": True, "description": "A SPARQL 1.1 query",
             "schema": {"type": "string", "maxLength": limits.max_query_chars}}
    responses = {"200": _answers(), **_errors(limits)}
    return {
        "openapi": "3.0.3",
        "info": {"title": "tttt-kg SPARQL endpoint", "version": "1.0",
                 "description": "Read-only SPARQL 1.1 Protocol endpoint over the knowledge graph of the decisions "
                                "about the Hải Dương Department of Information and Communications (2004–2019). "
                                f"Limits per query: {limits.timeout:g} s, {limits.max_rows} rows."},
        "paths": {
            "/sparql": {
                "get": {"summary": "Run a query (SPARQL 1.1 Protocol, query via GET)", "operationId": "sparqlGet",
                        "parameters": [query, fmt], "responses": responses},
                "post": {"summary": "Run a query (SPARQL 1.1 Protocol, query via POST)", "operationId": "sparqlPost",
                         "parameters": [fmt],
                         "requestBody": {"required": True, "content": {
                             "application/x-www-form-urlencoded": {"schema": {
                                 "type": "object", "required": ["query"],
                                 "properties": {"query": {"type": "string", "maxLength": limits.max_query_chars}}}},
                             "application/sparql-query": {"schema": {"type": "string",
                                                                     "maxLength": limits.max_query_chars}}}},
                         "responses": responses},
            },
            "/queries": {"get": {"summary": "The named-query catalogue (JSON, or HTML for Accept: text/html)",
                                 "operationId": "listQueries",
                                 "responses": {"200": {"description": "The catalogue", "content": {
                                     "application/json": {"schema": {"type": "object"}},
                                     "text/html": {"schema": {"type": "string"}}}}}}},
            "/queries/{name}": {"get": {"summary": "One named query: its header and text", "operationId": "getQuery",
                                        "parameters": [{"name": "name", "in": "path", "required": True,
                                                        "schema": {"type": "string"}}],
                                        "responses": {"200": {"description": "The query", "content": {
                                            "application/json": {"schema": {"type": "object"}},
                                            "application/sparql-query": {"schema": {"type": "string"}}}},
                                            "404": {"description": "No such query", "content": _TEXT}}}},
            "/queries/{name}/run": {"get": {
                "summary": "Run a named query; its parameters are query-string parameters (e.g. ?at=2010-01-01)",
                "operationId": "runQuery",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}, fmt],
                "responses": {**responses, "404": {"description": "No such query", "content": _TEXT}}}},
            "/health": {"get": {"summary": "Liveness: workers, triples, queries stopped so far", "operationId": "health",
                                "responses": {"200": {"description": "Status",
                                                      "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/": {"get": {"summary": "The query page (works without network)", "operationId": "queryPage",
                          "responses": {"200": {"description": "HTML",
                                                "content": {"text/html": {"schema": {"type": "string"}}}}}}},
        },
    }
