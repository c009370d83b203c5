"""The ingest engine: claim a batch of photos, decode each once, make previews, detect and embed
faces across the batch, store everything in bulk. See engine.py for the loop."""
