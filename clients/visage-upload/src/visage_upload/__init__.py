"""visage-upload: a hot folder for Visage (push a folder of photos to an event, or watch it)."""
__version__ = "1.0.0"
