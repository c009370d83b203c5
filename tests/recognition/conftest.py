"""Real models on real photos, loaded once per session (CPU is slow: share them)."""
import os
from pathlib import Path

import pytest
from PIL import Image

FACES_DIR = Path(os.environ.get("VISAGE_TEST_FACES")
                 or Path(__file__).resolve().parents[3] / "shared" / "data" / "faces")
PORTRAITS = FACES_DIR / "portraits"
BBT_PEOPLE = FACES_DIR / "bbt" / "people"
BBT_GROUP = FACES_DIR / "bbt" / "group"


@pytest.fixture(scope="session")
def pipeline():
    """The process-wide FacePipeline (MTCNN + SFace), as the app uses it."""
    from recognition.conf import face_pipeline

    return face_pipeline()


@pytest.fixture(scope="session")
def obama_faces(pipeline):
    return pipeline.analyze(PORTRAITS / "obama.jpg")


@pytest.fixture
def gradient_image() -> Image.Image:
    """A photo with no face: a smooth colour gradient."""
    return Image.linear_gradient("L").resize((320, 240)).convert("RGB")


def save(image: Image.Image, path: Path, **params) -> Path:
    image.save(path, **params)
    return path
