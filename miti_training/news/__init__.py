"""News posts: what happened at a programme, told by its centre in several languages.

`rules` (limits, who may write and publish), `writing` (drafts, changes, translations,
publishing), `queries` (the public lists and staff lists), `rendering` (plain text shown as
paragraphs with safe links), `feeds` (Atom), `freshness` (the HTTP validators of a post's page).
"""
