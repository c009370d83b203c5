"""What recognition tells the apps above it (it may not import them: the layering contract).
Receivers run synchronously with `send()`, inside the sender's transaction."""
from django.dispatch import Signal

# event_id=<int>, person_ids=[int]: these people were formed, grew, lost faces, were renamed,
# merged or split (one send per people update or curation, not one per face).
people_changed = Signal()
