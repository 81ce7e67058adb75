"""The SPARQL 1.1 Protocol endpoint's parts: request parsing, the service description, admission and
the answer cache (content negotiation, shared with every route, is :mod:`policykg.api.negotiation`).

Kept apart from the route (``policykg.api.routes.sparql``) so each piece is a small, testable unit.
"""
