"""What sharing tells the apps above it (it may not import them: the layering contract)."""
from django.dispatch import Signal

# studio_id, event_id, share_link_id, match_count (ints): a guest searched with a selfie. Never
# the selfie, its faces or the guest's identity.
guest_searched = Signal()

# studio_id, event_id, removal_request_id, face_count, pending (ints): a guest asked to be forgotten
# and the studio must decide. Never the selfie, the faces' ids or who the guest is.
removal_requested = Signal()

# studio_id, event_id, share_link_id, photo_count (ints): an opted-in guest is being told about new
# photos of them ("new photos of me"). Never the guest's address, face data or which photos.
guest_matched = Signal()
