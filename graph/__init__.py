"""The facts and the code that turns them into RDF: records, build, provenance, export."""
