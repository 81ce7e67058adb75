"""policykg: a policy alignment knowledge graph (national digital-policy plans ↔ local plans)."""

__version__ = "0.1.0"
