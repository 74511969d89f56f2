"""Engine adapters behind csm/db.py's hook (issue 14, docs/storage.md). csm/db.py stays the one
module the product talks to; an adapter here is what it opens when CSM_DB_URL names a server."""
