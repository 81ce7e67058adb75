"""Imported once by the query workers' fork server: load and exercise everything evaluation needs.

Its only job is this side effect, so every worker forked from that server starts warm (a confined
worker cannot open a module file later) and a replacement for a killed worker is ready in
milliseconds instead of a second.
"""

from policykg.graph.worker_process import warm_up

warm_up()
