"""Where the triples live: the in-memory and on-disk Oxigraph stores, remote SPARQL endpoints, loading,
dumping, pushing to a remote store, and the synthetic corpus that tests them at scale."""
