"""Checks on untrusted input before a parser reads it: SPARQL texts and RDF files from users or remote stores."""
