"""Where to cut a face picture (thumbnails, "Faces" images): one rule for every caller."""

FACE_MARGIN = 0.4  # context around the box on each side, as a fraction of its size: hair and chin


def square_inside(box, width: float, height: float, margin: float = FACE_MARGIN) -> tuple[float, float, float, float]:
    """A square around the face with margin, shrunk and shifted to stay inside the photo
    (a face at the edge of a tight portrait gets less margin, never a black band)."""
    x1, y1, x2, y2 = (float(v) for v in box)
    half = min(max(x2 - x1, y2 - y1) * (0.5 + margin), width / 2, height / 2)
    cx = min(max((x1 + x2) / 2, half), width - half)
    cy = min(max((y1 + y2) / 2, half), height - half)
    return cx - half, cy - half, cx + half, cy + half
