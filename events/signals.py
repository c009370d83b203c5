"""What events tells the apps above it. events may not import them (the layering contract), so
apps that keep data about an event subscribe here (recognition/receivers.py).

Receivers run synchronously with `send()`: an exception aborts the caller, which is what
`event_deleting` needs (no rows may go while the event's data key survives).
"""
from django.dispatch import Signal

# event=<Event>: about to delete the event's objects and rows; destroy what must go first.
event_deleting = Signal()
# event_id=<int>: what guests may find in the event changed (a photo hidden, the event gone).
event_visibility_changed = Signal()
# photo_ids=[int]: photos that just ended `done` or `failed` (sent inside the transaction that
# ended them, where there is one): webhooks announces them.
photos_finished = Signal()
