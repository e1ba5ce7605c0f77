"""`tttt-kg serve` answers ``/.well-known/void`` (VoID §7.2): the dataset's description, plus where it is served.

The description is the one the build put in the graph (graph/description.py: id:dataset, the
catalogue of named queries, the export formats), read from the store through the endpoint's own
worker pool (so the usual limits hold), with ``void:sparqlEndpoint`` and a dcat:DataService added
for this server's /sparql. Turtle by default; N-Triples or JSON-LD when Accept asks for them.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tttt_kg.graph.server.query_workers import QueryRequest
from tttt_kg.graph.server.result_formats import Choice

PATH = "/.well-known/void"
# id:dataset, id:catalogue and the distributions, as they are in the store
DESCRIPTION_QUERY = """CONSTRUCT { ?s ?p ?o } WHERE {
  { VALUES ?s { <https://w3id.org/tttt-kg/id/dataset> <https://w3id.org/tttt-kg/id/catalogue> } }
  UNION { <https://w3id.org/tttt-kg/id/dataset> <http://www.w3.org/ns/dcat#distribution> ?s }
  ?s ?p ?o }"""
_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}


def _wanted(accept: str | None) -> str:
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in _FORMATS:
            return media
    return "text/turtle"


def void_routes(endpoint) -> list[Route]:
    def fetch(client: str, cancelled):
        return endpoint.pool.run(QueryRequest(choice=Choice(results="json", graph="ntriples"),
                                              text=DESCRIPTION_QUERY), client, cancelled)

    async def void(request: Request) -> Response:
        reply, hung_up = await endpoint.until_gone(request, fetch)
        if hung_up:
            return Response(status_code=499)
        if reply.status != 200:
            return Response(reply.body, status_code=reply.status, media_type=reply.content_type,
                            headers=dict(reply.headers))
        from rdflib import Graph

        from tttt_kg.graph.description import served_description
        g = Graph().parse(data=reply.body, format="nt")
        if len(g) == 0:
            return PlainTextResponse("the store holds no dataset description (id:dataset): load a graph made by "
                                     "`tttt-kg build`\n", status_code=404)
        media = _wanted(request.headers.get("accept"))
        out = served_description(g, str(request.base_url).rstrip("/") + "/sparql")
        kwargs = {}
        if media == "application/ld+json":
            from tttt_kg.graph.export import jsonld_context
            kwargs["context"] = jsonld_context()
        body = out.serialize(format=_FORMATS[media], encoding="utf-8", **kwargs)
        return Response(body, media_type=media + ("; charset=utf-8" if media.startswith("text/") else ""),
                        headers={"Vary": "Accept"})

    return [Route(PATH, void, methods=["GET"])]
