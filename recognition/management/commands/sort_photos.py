"""manage.py sort_photos IN_DIR OUT_DIR: a folder per person, a face image each, report.json."""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from recognition.conf import ml_config
from recognition.ml.folder_sort import sort_folder
from recognition.ml.pipeline import FacePipeline


class Command(BaseCommand):
    requires_system_checks = []  # no database, no app state: runs on any machine with the models
    help = ("Find the people in a folder of photos: OUT_DIR/<person>/ gets byte-identical copies of "
            "their photos, OUT_DIR/Faces/<person>.jpg a clear face, OUT_DIR/report.json the details.")

    def add_arguments(self, parser):
        parser.add_argument("in_dir", type=Path)
        parser.add_argument("out_dir", type=Path)
        parser.add_argument("--embedder", default=None)
        parser.add_argument("--method", default=None, help="clustering method (default: the clustering default)")

    def handle(self, *args, **options):
        in_dir, out_dir = options["in_dir"], options["out_dir"]
        if not in_dir.is_dir():
            raise CommandError(f"{in_dir} is not a folder")
        pipeline = FacePipeline(ml_config(), embedder_name=options["embedder"])
        bars = []

        def progress(total: int):
            bars.append(tqdm(total=total, file=sys.stderr, desc="photos", unit="photo"))
            return lambda: bars[0].update(1)

        report = sort_folder(in_dir, out_dir, pipeline=pipeline, method=options["method"], progress_factory=progress)
        for bar in bars:
            bar.close()
        for error in report["errors"]:
            self.stderr.write(f"skipped {error['file']}: {error['error']}")
        faces = sum(len(photo["faces"]) for photo in report["photos"])
        self.stdout.write(f"{len(report['photos'])} photos, {faces} faces, {len(report['people'])} people, "
                          f"{len(report['errors'])} unreadable -> {out_dir}")
