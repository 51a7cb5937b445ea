"""Registry case records checked against the knowledge graph (`netgraph records`)."""
