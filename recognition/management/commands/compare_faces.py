"""manage.py compare_faces A B: are these two photos of the same person?"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recognition.conf import ml_config
from recognition.ml.calibration import calibration_for
from recognition.ml.images import ImageDecodeError
from recognition.ml.pipeline import FacePipeline, largest_face


class Command(BaseCommand):
    requires_system_checks = []  # no database, no app state: runs on any machine with the models
    help = "Compare the main face of two photos: similarity %, confidence and same/different."

    def add_arguments(self, parser):
        parser.add_argument("image_a", type=Path)
        parser.add_argument("image_b", type=Path)
        parser.add_argument("--embedder", default=None, help="embedder name (default: VISAGE_EMBEDDER)")

    def handle(self, *args, **options):
        pipeline = FacePipeline(ml_config(), embedder_name=options["embedder"])
        calibration = calibration_for(pipeline.embedder.name)
        face_a = self._main_face(pipeline, options["image_a"])
        face_b = self._main_face(pipeline, options["image_b"])
        cosine = float(face_a.embedding @ face_b.embedding)
        verdict = "same" if calibration.is_match(cosine) else "different"
        self.stdout.write(f"similarity: {cosine * 100:.1f}% (cosine {cosine:.4f})")
        self.stdout.write(f"confidence: {calibration.confidence(cosine):.1f}%")
        self.stdout.write(f"result: {verdict} (threshold {calibration.threshold:.3f}, "
                          f"{pipeline.embedder.name} {pipeline.embedder.version})")

    def _main_face(self, pipeline: FacePipeline, path: Path):
        try:
            faces = pipeline.analyze(path)
        except ImageDecodeError as error:
            raise CommandError(f"{path}: cannot read image: {error.reason}") from error
        face = largest_face(faces)
        if face is None:
            raise CommandError(f"{path}: no face found")
        if not face.usable:
            self.stderr.write(f"warning: {path}: low-quality face ({'; '.join(face.quality_reasons)})")
        return face
