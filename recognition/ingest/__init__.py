"""The ingest engine, the one owner of the photo pipeline (docs/ingest.md, "Who owns what"):
claims and leases (claims.py), the backoff after transient errors (retries.py), the engine's task
and its wake (worker.py), the reconciler (reconcile.py, tasks.py), and the loop itself: claim a
batch of photos, decode each once, make previews, detect and embed faces across the batch, store
everything in bulk (engine.py, loading.py, analysis.py, store.py). How a photo's end is recorded
and announced is events' lifecycle (events/lifecycle.py), which the engine calls."""
