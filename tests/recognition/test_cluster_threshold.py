"""The first clustering stage stops at the event's calibrated cluster threshold, stricter than the
pair threshold: two look-alike people (real LFW photos) are no longer joined, and each stays whole."""
import pytest

from recognition.ml.calibration import SFACE
from recognition.models import EventCalibration, Face
from recognition.services.people import event_recluster
from tests.factories import FACES_DIR
from tests.recognition.helpers import event_with_faces

KARZAI = [f"lfw-dev/Hamid_Karzai/{p.name}" for p in sorted((FACES_DIR / "lfw-dev" / "Hamid_Karzai").glob("*.jpg"))]
ARAFAT = [f"lfw-dev/Yasser_Arafat/{p.name}" for p in sorted((FACES_DIR / "lfw-dev" / "Yasser_Arafat").glob("*.jpg"))]


def _people_of(event, paths: list[str]) -> set[int]:
    names = [path.rsplit("/", 1)[1] for path in paths]
    return set(Face.objects.filter(event=event, usable=True, photo__original_filename__in=names)
               .values_list("person_id", flat=True))


@pytest.fixture
def lookalikes(studio_a, alice, face_pipeline):
    return event_with_faces(studio_a, alice, KARZAI + ARAFAT, face_pipeline)


def test_two_lookalikes_stay_apart_and_whole(lookalikes):
    assert EventCalibration.objects.get(event=lookalikes).cluster_threshold == SFACE.cluster_threshold == 0.40
    karzai = _people_of(lookalikes, KARZAI)
    assert len(karzai) == 1 and None not in karzai  # his six photos: one person
    assert not karzai & _people_of(lookalikes, ARAFAT)


def test_at_the_pair_threshold_average_linkage_joined_them(lookalikes):
    """What the stricter first stage fixed: clustered at 0.363, the two became one person."""
    EventCalibration.objects.filter(event=lookalikes).update(cluster_threshold=SFACE.threshold)
    event_recluster(event=lookalikes)
    assert _people_of(lookalikes, KARZAI) & _people_of(lookalikes, ARAFAT)
