"""Face alignment: a similarity transform of 5 landmarks onto a canonical template."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

# ArcFace/InsightFace 112x112 template (eyes, nose tip, mouth corners), the crop SFace was trained on.
ARCFACE_TEMPLATE_112 = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]],
    dtype=np.float64,
)


@dataclass(frozen=True)
class FaceTemplate:
    """Output size and where the 5 landmarks land in it."""

    size: int
    points: np.ndarray

    def scaled(self, size: int) -> "FaceTemplate":
        return FaceTemplate(size=size, points=self.points * (size / self.size))


ARCFACE = FaceTemplate(size=112, points=ARCFACE_TEMPLATE_112)


def similarity_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares rotation+uniform scale+translation mapping src onto dst (Umeyama 1991).

    Returns the 2x3 matrix M with dst ~= M @ [x, y, 1].
    """
    src = np.asarray(src, dtype=np.float64)
    dst = np.asarray(dst, dtype=np.float64)
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    covariance = dst_c.T @ src_c / len(src)
    u, singular, vt = np.linalg.svd(covariance)
    sign = np.eye(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:  # forbid reflections
        sign[1, 1] = -1
    rotation = u @ sign @ vt
    src_var = (src_c ** 2).sum() / len(src)
    scale = np.trace(np.diag(singular) @ sign) / src_var if src_var > 0 else 1.0
    translation = dst_mean - scale * rotation @ src_mean
    return np.hstack([scale * rotation, translation[:, None]])


def invert_affine(matrix: np.ndarray) -> np.ndarray:
    """Inverse of a 2x3 affine matrix, as 2x3."""
    full = np.vstack([matrix, [0.0, 0.0, 1.0]])
    return np.linalg.inv(full)[:2]


def align_face(image: Image.Image, landmarks: np.ndarray, template: FaceTemplate = ARCFACE) -> Image.Image:
    """Warp the face whose 5 ``landmarks`` (image coordinates) are given onto the template (bicubic)."""
    forward = similarity_transform(landmarks, template.points)
    if image.mode != "RGB":  # convert() copies the whole photo even when it is RGB already
        image = image.convert("RGB")
    return image.transform(
        (template.size, template.size), Image.Transform.AFFINE,
        data=pil_affine_data(invert_affine(forward)), resample=Image.Resampling.BICUBIC,
    )


def pil_affine_data(output_to_input: np.ndarray) -> tuple[float, ...]:
    """PIL AFFINE coefficients for a matrix in pixel-index coordinates (cv2.warpAffine's).

    PIL maps each output pixel back to the input (hence an inverse matrix) and measures from
    pixel edges, not centres: shift by half a pixel so results match the reference pipelines.
    """
    (a, b, c), (d, e, f) = output_to_input
    return (a, b, c + 0.5 - 0.5 * (a + b), d, e, f + 0.5 - 0.5 * (d + e))


def template_scale(landmarks: np.ndarray, template: FaceTemplate = ARCFACE) -> float:
    """Pixels of the template per pixel of the image (>1 means the crop is upsampled)."""
    matrix = similarity_transform(np.asarray(landmarks, dtype=np.float64), template.points)
    return float(np.hypot(matrix[0, 0], matrix[1, 0]))


def source_coverage(landmarks: np.ndarray, image_size: tuple[int, int],
                    template: FaceTemplate = ARCFACE) -> np.ndarray:
    """Boolean (size, size) mask of crop pixels that come from inside the photo (not fill)."""
    inverse = invert_affine(similarity_transform(landmarks, template.points))
    ys, xs = np.mgrid[0:template.size, 0:template.size]
    source_x = inverse[0, 0] * xs + inverse[0, 1] * ys + inverse[0, 2]
    source_y = inverse[1, 0] * xs + inverse[1, 1] * ys + inverse[1, 2]
    width, height = image_size
    return (source_x >= 0) & (source_x <= width - 1) & (source_y >= 0) & (source_y <= height - 1)
