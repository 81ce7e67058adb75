"""The network page's words, Japanese first: which words of :mod:`policykg.words` the page shows, under the
names its script and template use (``data-i18n``). The page switches language client-side, so it gets them in
every language.
"""

from __future__ import annotations

from policykg.words import LANGS, Lang, t

VIZ_WORDS: dict[str, str] = {
    "title": "network_title", "langButton": "lang_switch", "search": "search",
    "searchPlaceholder": "node_search_placeholder", "noMatch": "no_match", "candidates": "candidates",
    "filters": "filters", "plan": "plan", "area": "area", "all": "all", "kinds": "kinds",
    "evidence": "evidence", "minScore": "min_score", "reset": "reset_filters", "legend": "legend",
    "relations": "relations", "statuses": "progress_title", "noStatus": "no_status", "kind": "kind",
    "otherLabel": "other_label", "altLabels": "alt_labels", "source": "source", "slide": "slide",
    "line": "line", "alignments": "alignments", "connections": "connections", "score": "score",
    "rationale": "rationale", "links": "links", "entityPage": "entity_page", "trace": "trace",
    "supporters": "supporters", "focus": "focus", "hops": "hops", "showAll": "show_all", "close": "close",
    "status": "status", "shown": "shown", "nodes": "nodes", "edges": "edges",
    "groups": "groups", "groupNote": "group_note", "groupChoice": "group_choice", "expand": "expand",
    "expanding": "expanding", "expanded": "expanded", "expandFailed": "expand_failed",
    "groupMembers": "group_members", "groupLinks": "group_links", "groupAlone": "group_alone",
    "partlyShown": "partly_shown", "nodeTotal": "node_total",
}
"""The page's word name → its :func:`policykg.words.t` key."""

UI_TEXT: dict[str, dict[str, str]] = {lang: {name: t(key, lang) for name, key in VIZ_WORDS.items()} for lang in LANGS}
"""lang → {word name → text}, as the page receives it."""

__all__ = ["UI_TEXT", "VIZ_WORDS", "LANGS", "Lang"]
