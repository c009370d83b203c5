"""Who is where in shared/data/faces/bbt/group, labelled by looking at the photos.

(face centre x, y in original pixels, name or None for a bystander who is not one of the 8).
"""
GROUP_TRUTH = {
    "bbt1.jpg": [(262, 193, "raj"), (522, 207, "leonard"), (775, 192, "howard"), (1047, 148, "sheldon")],
    "bbt2.jpg": [(27, 125, None), (139, 175, "leonard"), (415, 171, "sheldon")],
    "bbt3.jpg": [(65, 64, "sheldon"), (178, 123, "howard"), (282, 131, "penny"), (393, 141, "raj"), (519, 133, "leonard")],
    "bbt4.jpg": [(100, 314, "leonard"), (126, 77, "amy"), (277, 98, "raj"), (300, 285, "penny"), (511, 237, "sheldon"),
                 (617, 119, "bernadette")],
    "bbt5.jpg": [(150, 213, "raj"), (258, 82, "penny"), (480, 204, "sheldon"), (617, 95, "leonard"), (758, 159, "howard")],
}


def truth_name(filename: str, box) -> str | None:
    """The labelled person whose face centre is nearest this box's centre (within 40 px)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    x, y, name = min(GROUP_TRUTH[filename], key=lambda t: (t[0] - cx) ** 2 + (t[1] - cy) ** 2)
    assert (x - cx) ** 2 + (y - cy) ** 2 < 40**2, f"no labelled face near {box} in {filename}"
    return name
