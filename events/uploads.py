"""Upload handling: every file is spooled to a temporary file on disk, never held in memory."""
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from events.conf import uploads as uploads_config


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    """Spools to disk and stops writing once a file passes VISAGE_MAX_UPLOAD_BYTES.

    The oversize file is still returned (empty, flagged) so the upload service can answer
    for that file by name while the rest of the batch goes on.
    """

    def max_bytes(self) -> int:
        return uploads_config().max_upload_bytes

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversize = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes():
            if not self.oversize:
                self.oversize = True
                self.file.truncate(0)
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        uploaded = super().file_complete(self.received)
        uploaded.visage_oversize = self.oversize
        return uploaded
