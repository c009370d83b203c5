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


# Above the faces' union, as a fraction of the tallest face: a detector's box stops at the brows, and
# a crop centred on it cuts the hair.
FOCUS_HEADROOM = 0.5
# Faces smaller than this fraction of the largest one's area (people in the background) do not pull the crop.
FOCUS_MIN_AREA = 0.25


def faces_square(boxes, width: float, height: float, headroom: float = FOCUS_HEADROOM) -> tuple[float, float, float, float]:
    """The largest square inside a `width`×`height` photo, centred on its faces (the union of
    the main faces' boxes, with headroom), or on the photo's centre when it has none."""
    side = min(width, height)
    boxes = [tuple(float(v) for v in box) for box in boxes]
    if boxes:
        areas = [(x2 - x1) * (y2 - y1) for x1, y1, x2, y2 in boxes]
        main = [box for box, area in zip(boxes, areas) if area >= FOCUS_MIN_AREA * max(areas)]
        tallest = max(y2 - y1 for _x1, y1, _x2, y2 in main)
        x1, x2 = min(b[0] for b in main), max(b[2] for b in main)
        y1, y2 = min(b[1] for b in main) - headroom * tallest, max(b[3] for b in main)
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    else:
        cx, cy = width / 2, height / 2
    left = min(max(cx - side / 2, 0.0), width - side)
    top = min(max(cy - side / 2, 0.0), height - side)
    return left, top, left + side, top + side


def object_position(square, width: float, height: float) -> tuple[float, float]:
    """The CSS `object-position` (percent) that shows `square` of the photo in a square tile with
    `object-fit: cover`: the percentage is the offset over the room the photo has to move."""
    left, top = square[0], square[1]
    side = square[2] - square[0]
    x = 100 * left / (width - side) if width - side > 0.5 else 50.0
    y = 100 * top / (height - side) if height - side > 0.5 else 50.0
    return round(x, 1), round(y, 1)
