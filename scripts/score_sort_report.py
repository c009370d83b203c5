"""Score a sort_photos report.json against folder labels (the photo's parent folder = identity).

    .venv/bin/python manage.py sort_photos ../shared/data/faces/bbt/people /tmp/sorted
    .venv/bin/python scripts/score_sort_report.py /tmp/sorted/report.json

Counts one face per photo, the photo's subject: by default its best query face (``rank`` 0: the
largest frontal sharp face, as a selfie search picks it; reports without ranks: the first face);
``--face centre`` takes the face nearest the photo's centre (LFW's convention: its photos are
crops centred on the labelled person); ``--face first-with-person`` is the old rule (the first face given a person: in a photo with a
background person that face may be the stranger's). Faces left without a person count as singletons
(they earn no precision and cost recall).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recognition.clustering.metrics import bcubed_scores, pairwise_scores  # noqa: E402


def subject_face(faces: list[dict], rule: str, size=None) -> dict | None:
    if rule == "centre" and size and faces:
        return min(faces, key=lambda f: ((f["box"][0] + f["box"][2] - size[0]) ** 2
                                         + (f["box"][1] + f["box"][3] - size[1]) ** 2))
    if rule == "first-with-person":
        return next((f for f in faces if f["person"]), faces[0] if faces else None)
    return min(faces, key=lambda f: f.get("rank", 0), default=None)


def labels_from_report(report: dict, rule: str = "best") -> tuple[list[str], list[int]]:
    truth, predicted, people = [], [], {}
    for photo in report["photos"]:
        face = subject_face(photo["faces"], rule, photo.get("size"))
        person = face["person"] if face else None
        truth.append(Path(photo["file"]).parent.as_posix())
        predicted.append(people.setdefault(person, len(people)) if person else -1)
    return truth, predicted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", type=Path)
    parser.add_argument("--face", choices=("best", "centre", "first-with-person"), default="best")
    args = parser.parse_args()
    report = json.loads(args.report.read_text())
    truth, predicted = labels_from_report(report, args.face)
    true_ids = np.unique(truth, return_inverse=True)[1]
    pairwise, bcubed = pairwise_scores(true_ids, np.array(predicted)), bcubed_scores(true_ids, np.array(predicted))
    print(json.dumps({"photos": len(truth), "people_found": len(report["people"]),
                      "identities": int(true_ids.max(initial=-1) + 1),
                      "unassigned_photos": int(sum(p < 0 for p in predicted)),
                      "pairwise": vars(pairwise), "bcubed": vars(bcubed)}, indent=2))


if __name__ == "__main__":
    main()
