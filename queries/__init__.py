"""Named SPARQL queries (*.rq, one question per file) and the catalogue that lists and runs them."""
