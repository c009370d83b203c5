"""compare_faces, evaluate_recognition and sort_photos, run as an operator would."""
import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from tests.recognition.conftest import BBT_PEOPLE, PORTRAITS, save


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("other, verdict", [("obama2.jpg", "same"), ("biden.jpg", "different")])
def test_compare_faces_says_same_or_different(pipeline, other, verdict):
    out, _ = _run("compare_faces", str(PORTRAITS / "obama.jpg"), str(PORTRAITS / other))
    assert f"result: {verdict}" in out
    assert "similarity:" in out and "%" in out and "confidence:" in out


def test_compare_faces_fails_clearly_without_a_face(pipeline, tmp_path, gradient_image):
    blank = save(gradient_image, tmp_path / "blank.png")
    with pytest.raises(CommandError, match="blank.png: no face found"):
        _run("compare_faces", str(PORTRAITS / "obama.jpg"), str(blank))


def test_compare_faces_fails_clearly_on_a_corrupt_file(pipeline, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes((PORTRAITS / "obama.jpg").read_bytes()[:2000])
    with pytest.raises(CommandError, match="broken.jpg: cannot read image"):
        _run("compare_faces", str(broken), str(PORTRAITS / "obama.jpg"))


def test_evaluate_recognition_prints_the_metrics(pipeline, tmp_path):
    images = ["amy/amy1.png", "amy/amy2.png", "raj/raj1.png", "raj/raj2.png"]
    rows = ["image_a,image_b,same"]
    rows += [f"{a},{b},{'yes' if a[:3] == b[:3] else 'no'}" for i, a in enumerate(images) for b in images[i + 1:]]
    rows.append("amy/amy1.png,nobody/missing.png,NO")
    (tmp_path / "pairs.csv").write_text("\n".join(rows) + "\n")
    out, err = _run("evaluate_recognition", "--pairs", str(tmp_path / "pairs.csv"), "--images", str(BBT_PEOPLE))
    metrics = json.loads(out)
    assert metrics["pairs"] == 7 and metrics["missing_faces"] == 1 and metrics["pairs_with_missing_face"] == 1
    assert metrics["auc"] == 1.0 and metrics["accuracy_at_default_threshold"] == 1.0
    for key in ("default_threshold", "best_accuracy", "best_threshold", "tar_at_far_1e-3"):
        assert key in metrics
    assert "missing.png" in err


def test_evaluate_recognition_names_a_bad_line(pipeline, tmp_path):
    (tmp_path / "pairs.csv").write_text("a,b,label\namy/amy1.png,amy/amy2.png,perhaps\n")
    with pytest.raises(CommandError, match="line 2"):
        _run("evaluate_recognition", "--pairs", str(tmp_path / "pairs.csv"), "--images", str(BBT_PEOPLE))


@pytest.fixture(scope="module")
def sorted_folder(tmp_path_factory, pipeline):
    """obama x2 + the pair photo + biden, one nested, one corrupt file, one faceless file."""
    source = tmp_path_factory.mktemp("in")
    (source / "day2").mkdir()
    for name in ["obama.jpg", "obama2.jpg", "biden.jpg"]:
        shutil.copyfile(PORTRAITS / name, source / name)
    shutil.copyfile(PORTRAITS / "two_people_obama_biden.jpg", source / "day2" / "obama.jpg")  # same name, other folder
    (source / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 definitely not a photo")
    save(Image.linear_gradient("L").resize((200, 150)), source / "day2" / "sky.png")
    (source / "notes.txt").write_text("not an image, not listed")
    target = tmp_path_factory.mktemp("out") / "sorted"
    _run("sort_photos", str(source), str(target))
    return source, target, json.loads((target / "report.json").read_text())


def test_sort_photos_makes_a_folder_per_person_by_photo_count(sorted_folder):
    source, target, report = sorted_folder
    assert report["people"] == {
        "person_001": {"photos": 3, "faces": 3, "face_image": "Faces/person_001.jpg"},
        "person_002": {"photos": 2, "faces": 2, "face_image": "Faces/person_002.jpg"},
    }
    obama = sorted(p.name for p in (target / "person_001").iterdir())
    assert obama == ["day2__obama.jpg", "obama.jpg", "obama2.jpg"]
    assert sorted(p.name for p in (target / "person_002").iterdir()) == ["biden.jpg", "day2__obama.jpg"]
    assert (target / "person_001" / "day2__obama.jpg").read_bytes() == (source / "day2" / "obama.jpg").read_bytes()
    assert (target / "person_002" / "biden.jpg").read_bytes() == (source / "biden.jpg").read_bytes()


def test_sort_photos_writes_a_face_image_per_person(sorted_folder):
    _, target, _ = sorted_folder
    for name in ("person_001", "person_002"):
        face = Image.open(target / "Faces" / f"{name}.jpg")
        assert face.format == "JPEG" and min(face.size) >= 112


def test_sort_photos_reports_every_face_and_every_unreadable_file(sorted_folder):
    _, _, report = sorted_folder
    photos = {photo["file"]: photo["faces"] for photo in report["photos"]}
    assert set(photos) == {"obama.jpg", "obama2.jpg", "biden.jpg", "day2/obama.jpg", "day2/sky.png"}
    assert photos["day2/sky.png"] == []
    assert sorted(face["person"] for face in photos["day2/obama.jpg"]) == ["person_001", "person_002"]
    face = photos["obama.jpg"][0]
    assert len(face["box"]) == 4 and 0.9 < face["probability"] <= 1 and 50 < face["confidence"] <= 100
    assert [error["file"] for error in report["errors"]] == ["broken.jpg"]


def test_sort_report_names_each_photos_subject(sorted_folder):
    """Each photo's upright size and its faces ranked as a query would rank them (0 = the subject),
    so scripts/score_sort_report.py can score one face per photo."""
    source, _, report = sorted_folder
    photos = {photo["file"]: photo for photo in report["photos"]}
    assert photos["obama.jpg"]["size"] == list(Image.open(source / "obama.jpg").size)
    pair = photos["day2/obama.jpg"]["faces"]
    assert sorted(face["rank"] for face in pair) == [0, 1]
    assert photos["obama.jpg"]["faces"][0]["rank"] == 0
