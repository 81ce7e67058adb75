"""The SPARQL 1.1 Protocol endpoint's parts: request parsing, content negotiation, the query worker pool.

Kept apart from the route (``policykg.api.routes.sparql``) so each piece is a small, testable unit.
"""
