"""Match threshold and confidence % for SFace cosine similarities (with flip averaging).

Numbers come from scripts/calibrate_threshold.py; method and output are in docs/recognition.md.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# OpenCV Zoo's threshold for SFace cosine similarity (set on LFW: 6,000 pairs, 5,749 people).
SFACE_PUBLISHED_THRESHOLD = 0.363
# Default decision: cosine >= this means "same person". We keep the published LFW value because it
# was set on thousands of identities we have not seen, and our labelled photos confirm it: it
# separates all 780 bbt/people pairs (different <= 0.291, same >= 0.442; gap midpoint 0.366) and all
# 66 portrait pairs (different <= 0.286, same >= 0.587). Tuning to our 13 people would overfit.
DEFAULT_MATCH_THRESHOLD = SFACE_PUBLISHED_THRESHOLD
# Logistic slope of P(same | cosine) from an equal-variance Gaussian fit of the same- and
# different-person cosines of those 846 pairs ((mean_same - mean_diff) / pooled variance).
SFACE_CONFIDENCE_SLOPE = 74.4


@dataclass(frozen=True)
class Calibration:
    """Decision threshold and a logistic map from cosine to confidence, 50 % at the threshold."""

    threshold: float
    slope: float

    def confidence(self, cosine: float) -> float:
        """Percent 0..100, strictly increasing in cosine."""
        z = self.slope * (float(cosine) - self.threshold)
        if z >= 0:
            return 100.0 / (1.0 + math.exp(-z))
        return 100.0 * math.exp(z) / (1.0 + math.exp(z))  # same value, no overflow for very low cosines

    def is_match(self, cosine: float) -> bool:
        return float(cosine) >= self.threshold


SFACE = Calibration(threshold=DEFAULT_MATCH_THRESHOLD, slope=SFACE_CONFIDENCE_SLOPE)
# OpenCV Zoo's published threshold was set for the single pass, which sface-fast is.
CALIBRATIONS = {"sface": SFACE, "sface-fast": SFACE}


def calibration_for(embedder_name: str) -> Calibration:
    """The calibration measured for an embedder; other embedders must be calibrated first."""
    try:
        return CALIBRATIONS[embedder_name]
    except KeyError:
        raise LookupError(
            f"no calibration for embedder {embedder_name!r}: measure one with "
            f"scripts/calibrate_threshold.py and add it to recognition/ml/calibration.py") from None


def confidence(cosine: float, calibration: Calibration = SFACE) -> float:
    """Confidence in percent that two faces with this cosine similarity are the same person."""
    return calibration.confidence(cosine)
