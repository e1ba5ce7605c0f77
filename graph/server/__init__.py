"""What `tttt-kg serve` answers over HTTP: the SPARQL endpoint and its worker pool, the query page, the
page of every resource (also written as a static site by `tttt-kg site`), and the dataset description."""
