"""Handing out stored bytes: streamed from the filesystem, or a short-lived presigned S3 URL."""
from collections.abc import Iterable

from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse

from core import conf
from core.storage import is_filesystem, object_storage
from core.zipstream import ZipEntry, zip_stream


def original_response(photo, *, as_attachment: bool = True):
    """Exactly the uploaded bytes, under the original filename (`photo`: anything with the
    original_key / original_filename / content_type of an events.Photo; core imports no app)."""
    return object_response(photo.original_key, photo.original_filename, photo.content_type, as_attachment)


def derivative_response(photo, kind: str):
    key = photo.preview_key if kind == "preview" else photo.thumbnail_key
    if not key:
        raise Http404("The preview is not ready yet.")
    return object_response(key, f"{kind}-{photo.id}.jpg", "image/jpeg", as_attachment=False)


def object_response(key: str, filename: str, content_type: str, as_attachment: bool):
    storage = object_storage()
    if is_filesystem(storage):
        if not storage.exists(key):
            raise Http404("The stored file is missing.")
        return FileResponse(storage.open(key, "rb"), as_attachment=as_attachment, filename=filename, content_type=content_type)
    disposition = "attachment" if as_attachment else "inline"
    params = {"ResponseContentDisposition": f'{disposition}; filename="{_ascii(filename)}"', "ResponseContentType": content_type}
    return HttpResponseRedirect(storage.url(key, parameters=params, expire=conf.api().presigned_url_seconds))


def _ascii(filename: str) -> str:
    return filename.encode("ascii", "replace").decode().replace('"', "_")


def zip_response(entries: Iterable[ZipEntry], filename: str) -> StreamingHttpResponse:
    """A streaming, uncompressed zip download (memory stays at one chunk)."""
    response = StreamingHttpResponse(zip_stream(entries), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_ascii(filename)}"'
    return response
