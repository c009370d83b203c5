"""What sharing tells the apps above it (it may not import them: the layering contract)."""
from django.dispatch import Signal

# studio_id, event_id, share_link_id, match_count (ints): a guest searched with a selfie. Never
# the selfie, its faces or the guest's identity.
guest_searched = Signal()
