from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = "Faces and people"

    def ready(self):
        from django.conf import settings

        from recognition.ml import images, pipeline

        # One pixel limit for the whole product: a photo the upload accepted is one the workers decode.
        images.MAX_PIXELS = settings.VISAGE_MAX_IMAGE_PIXELS
        # The ingest engine renders previews from the decode it detects on: one decode per photo.
        pipeline.WORK_LONG_SIDE = settings.VISAGE_PREVIEW_LONG_SIDE
