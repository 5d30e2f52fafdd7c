"""The web layer as a whole: app factory, API, access rules, redirects, limits, i18n, hostile input."""
