"""Calendar import routes (upload, template download)."""
