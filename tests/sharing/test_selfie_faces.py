"""A selfie with two faces: the API lists both, searches as the best query face, and lets the
guest choose the other one."""
import io

from PIL import Image

from tests.factories import FACES_DIR
from tests.sharing.conftest import guest_client, make_link, search
from tests.sharing.test_guest_search import names


def _two_face_selfie() -> bytes:
    """Amy and Penny side by side: Amy larger but turned (frontality 0.37), Penny smaller and frontal."""
    amy = Image.open(FACES_DIR / "bbt/people/amy/amy1.png").convert("RGB").resize((300, 300))
    penny = Image.open(FACES_DIR / "bbt/people/penny/penny1.png").convert("RGB").resize((240, 240))
    canvas = Image.new("RGB", (640, 400), (200, 200, 200))
    canvas.paste(amy, (20, 50))
    canvas.paste(penny, (380, 80))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_a_two_face_selfie_offers_a_choice(db, bbt):
    token = make_link(bbt.event).token
    client = guest_client()
    first = search(client, token, _two_face_selfie())
    assert first.status_code == 200, first.content
    body = first.json()
    assert len(body["faces"]) == 2 and body["face"] == 0 and "Choose yours" in body["note"]
    # Not the largest face (Amy, turned away) but the frontal one (Penny, on the right) by default.
    assert body["faces"][0]["box"][0] > 320 and body["faces"][1]["box"][0] < 320
    penny_found = names(bbt, [m["photo_id"] for m in body["matches"]])
    assert "penny2.png" in penny_found and not any(n.startswith("amy") for n in penny_found)

    chosen = search(client, token, _two_face_selfie(), face=1)  # "that's not me, I'm the other one"
    assert chosen.status_code == 200 and chosen.json()["face"] == 1 and chosen.json()["note"] == ""
    amy_found = names(bbt, [m["photo_id"] for m in chosen.json()["matches"]])
    assert "amy2.png" in amy_found and not any(n.startswith("penny") for n in amy_found)

    assert search(client, token, _two_face_selfie(), face=2).status_code == 400
