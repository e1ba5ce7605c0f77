"""Interactive, offline HTML views of the graph (vis-network, laid out with networkx) and its
network analysis: ``site.write_site`` writes every page, ``stats.summary`` measures the network,
``network.serialise_network`` writes GraphML / GEXF."""
