"""manage.py evaluate_recognition --pairs CSV --images DIR: verification metrics as JSON."""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from recognition.conf import ml_config
from recognition.ml.calibration import calibration_for
from recognition.ml.evaluation import PairsFileError, pair_scores, read_pairs_csv, summarize
from recognition.ml.images import ImageDecodeError
from recognition.ml.pipeline import FacePipeline, largest_face


class Command(BaseCommand):
    requires_system_checks = []  # no database, no app state: runs on any machine with the models
    help = ("Score same/different pairs of photos (CSV: image A, image B, label yes/no) and print "
            "AUC, accuracy at the default threshold, best accuracy and TAR at FAR=1e-3 as JSON.")

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=Path, required=True, help="CSV with a header row")
        parser.add_argument("--images", type=Path, required=True, help="folder the CSV paths are relative to")
        parser.add_argument("--embedder", default=None)
        parser.add_argument("--threshold", type=float, default=None, help="default: the calibrated one")

    def handle(self, *args, **options):
        try:
            pairs = read_pairs_csv(options["pairs"])
        except (OSError, PairsFileError) as error:
            raise CommandError(str(error)) from error
        pipeline = FacePipeline(ml_config(), embedder_name=options["embedder"])
        threshold = options["threshold"]
        if threshold is None:
            threshold = calibration_for(pipeline.embedder.name).threshold
        names = sorted({name for pair in pairs for name in (pair.image_a, pair.image_b)})
        embeddings, problems = self._embed(pipeline, options["images"], names)
        scores, labels, missing_pairs = pair_scores(pairs, embeddings)
        metrics = summarize(scores, labels, threshold=threshold, missing_pairs=missing_pairs)
        metrics.update(missing_faces=sum(v is None for v in embeddings.values()), problems=problems,
                       embedder={"name": pipeline.embedder.name, "version": pipeline.embedder.version})
        self.stdout.write(json.dumps(metrics, indent=2))

    def _embed(self, pipeline, images: Path, names: list[str]):
        """Main face embedding per image name (None when unreadable or faceless)."""
        embeddings, problems = {}, []
        paths = [images / name for name in names]
        outcomes = pipeline.analyze_each(paths)
        for name, (path, outcome) in tqdm(zip(names, outcomes), total=len(names), file=sys.stderr,
                                          desc="photos", unit="photo"):
            if isinstance(outcome, ImageDecodeError):
                problems.append({"image": name, "problem": outcome.reason})
                embeddings[name] = None
                continue
            face = largest_face(outcome)
            embeddings[name] = None if face is None else face.embedding
            if face is None:
                problems.append({"image": name, "problem": "no face found"})
        for problem in problems:
            self.stderr.write(f"{problem['image']}: {problem['problem']}")
        return embeddings, problems
