"""What sharing tells the apps above it (it may not import them: the layering contract)."""
from django.dispatch import Signal

# studio_id, event_id, share_link_id, match_count (ints): a guest searched with a selfie. Never
# the selfie, its faces or the guest's identity.
guest_searched = Signal()

# studio_id, event_id, removal_request_id, face_count, pending (ints): a guest asked to be forgotten
# and the studio must decide. Never the selfie, the faces' ids or who the guest is.
removal_requested = Signal()
