"""Thresholds and confidence % per embedder (cosine similarity of flip-averaged unit embeddings).

Every number comes from a script, with its command next to it; method and tables are in
docs/recognition.md ("Calibration per embedder"). An event records the embedder and these
thresholds with its first face (recognition.models.EventCalibration), so later changes here do not
mix thresholds inside one event.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

# OpenCV Zoo's threshold for SFace cosine similarity (set on LFW: 6,000 pairs, 5,749 people).
SFACE_PUBLISHED_THRESHOLD = 0.363
# Grouping decision (assignment and clustering). `scripts/calibrate_threshold.py --fixtures DIR` on
# lfw-dev (2,224 same / 50,000 different pairs), bbt/people and portraits+fixtures: the threshold
# that maximises the mean of the three sets' balanced accuracies is 0.353 (sface) / 0.340
# (sface-fast), and at 0.363 the false accept rate on lfw-dev is ~1e-3 with TAR 0.995. The
# published value sits within 0.01-0.02 of both optima and was set on 5,749 identities: kept.
DEFAULT_MATCH_THRESHOLD = SFACE_PUBLISHED_THRESHOLD
# Logistic slope of P(same | cosine): equal-variance Gaussian fit of the pooled pairs above.
SFACE_CONFIDENCE_SLOPE = 72.6

# A guest's match confidence (Calibration.match_confidence) reads the same at each band's lower
# edge whatever the model: the model's own cosines for the edges live in its Calibration.
MAYBE_FROM, PROBABLY_FROM, VERY_LIKELY_FROM, TYPICAL_AT = 50.0, 70.0, 90.0, 99.0
BANDS = ("very_likely", "probably", "maybe")


def confidence_band(percent: float) -> str:
    """"very_likely" / "probably" / "maybe" of a match confidence (Calibration.match_confidence)."""
    if percent >= VERY_LIKELY_FROM:
        return "very_likely"
    return "probably" if percent >= PROBABLY_FROM else "maybe"


@dataclass(frozen=True)
class Calibration:
    """One embedder's thresholds (cosines) and the logistic map from cosine to confidence.

    ``threshold``: two faces are one person (assignment, clustering). ``search_threshold``: a
    guest's selfie matches a face (false accept rate 1e-4: a stranger's photo must practically
    never be shown); ``search_person_threshold``: the selfie must also agree with the mean face of
    the person the matched face belongs to (a stranger who happens to look close in one photo does
    not look close on average). ``cluster_threshold``: where the first clustering stage (average
    linkage) stops, stricter than the pair threshold because a cluster's average pair sits at it
    when two look-alikes are joined; the merge stage heals the splits it adds. ``small_face_threshold``: a small face (below the quality gate's size) joins
    an existing person. ``merge_threshold``: two clusters' mean faces are one person (second
    clustering stage). ``suggest_threshold``: lowest mean-face cosine offered as "same person?".
    ``probably_threshold`` / ``very_likely_threshold``: where a guest's match moves up a band;
    ``typical_threshold``: the 90th percentile of true matches (scripts/calibrate_confidence.py).
    Unset ones default to ``threshold`` (bands: to ``search_threshold``).
    """

    threshold: float
    slope: float
    search_threshold: float | None = None
    search_person_threshold: float | None = None
    cluster_threshold: float | None = None
    small_face_threshold: float | None = None
    merge_threshold: float | None = None
    suggest_threshold: float | None = None
    probably_threshold: float | None = None
    very_likely_threshold: float | None = None
    typical_threshold: float | None = None

    def __post_init__(self):
        for name in ("search_threshold", "search_person_threshold", "cluster_threshold", "small_face_threshold",
                     "merge_threshold", "suggest_threshold"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, self.threshold)
        for name in ("probably_threshold", "very_likely_threshold", "typical_threshold"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, self.search_threshold)

    def match_confidence(self, cosine: float) -> float:
        """A guest's match in percent: 50 at the search threshold, 70 and 90 where the match moves
        up a band, 99 at a typical true match, 99.9 at identical faces; linear in between.

        Not P(same | cosine): above the search threshold that is ~99.8 % almost everywhere (what
        made every match read "100%"). This scale spreads over the range of real matches and its
        bands carry the measured share of true matches (docs/recognition.md).
        """
        anchors = [(self.search_threshold, MAYBE_FROM), (self.probably_threshold, PROBABLY_FROM),
                   (self.very_likely_threshold, VERY_LIKELY_FROM), (self.typical_threshold, TYPICAL_AT), (1.0, 99.9)]
        cosine = float(cosine)
        if cosine < self.search_threshold:
            return MAYBE_FROM * max(cosine, 0.0) / self.search_threshold
        for (low, low_pct), (high, high_pct) in zip(anchors, anchors[1:]):
            if cosine < high:
                return low_pct + (high_pct - low_pct) * (cosine - low) / max(high - low, 1e-9)
        return 99.9

    def confidence(self, cosine: float) -> float:
        """Percent 0..100, strictly increasing in cosine."""
        z = self.slope * (float(cosine) - self.threshold)
        if z >= 0:
            return 100.0 / (1.0 + math.exp(-z))
        return 100.0 * math.exp(z) / (1.0 + math.exp(z))  # same value, no overflow for very low cosines

    def is_match(self, cosine: float) -> bool:
        return float(cosine) >= self.threshold

    def event_fields(self) -> dict[str, float]:
        """The columns of recognition.models.EventCalibration (the bands are display only: not stored)."""
        fields = asdict(self)
        for name in _BAND_FIELDS:
            fields.pop(name)
        return {"match_threshold": fields.pop("threshold"), "confidence_slope": fields.pop("slope"), **fields}

    @classmethod
    def from_event_fields(cls, row) -> "Calibration":
        """The event's recorded thresholds; the bands of its embedder as measured now."""
        model = CALIBRATIONS.get(row.embedder_name)
        bands = {name: getattr(model, name) for name in _BAND_FIELDS} if model else {}
        return cls(threshold=row.match_threshold, slope=row.confidence_slope, search_threshold=row.search_threshold,
                   search_person_threshold=row.search_person_threshold, cluster_threshold=row.cluster_threshold,
                   small_face_threshold=row.small_face_threshold, merge_threshold=row.merge_threshold,
                   suggest_threshold=row.suggest_threshold, **bands)


_BAND_FIELDS = ("probably_threshold", "very_likely_threshold", "typical_threshold")


SFACE = Calibration(
    threshold=DEFAULT_MATCH_THRESHOLD, slope=SFACE_CONFIDENCE_SLOPE,
    # calibrate_threshold.py: pooled FAR 1e-4 at 0.422 (lfw-dev TAR 0.988; bbt/portraits 1.000).
    search_threshold=0.422,
    # scripts/calibrate_search.py on lfw-dev (1,030 selfies, the selfie's own face left out of its
    # person's mean): with the matched person's mean face >= 0.45 as well, precision 0.973 -> 0.995
    # and queries shown a stranger 100 -> 18 for recall 0.989 -> 0.989; 0.50 gives 0.997 / 0.988.
    search_person_threshold=0.45,
    # scripts/calibrate_clustering.py --first ...: at 0.363 average linkage joined two lfw-dev people
    # (Karzai and Arafat, labels checked by eye: cross-pair mean 0.364), pairwise precision 0.984;
    # from 0.37 to 0.41 every set has precision 1.000 and lfw-dev recall 0.996 (0.998 at 0.363),
    # 0.42 loses more (0.994). 0.40 sits mid-plateau; the merge stage (0.45) joins what it splits.
    cluster_threshold=0.40,
    # scripts/calibrate_small_faces.py: lfw-dev shrunk so faces are 20-32 px (1,753 sound faces vs
    # 200 identity centroids): 99.6-99.7 % join their own person and none a wrong one at 0.40;
    # under 20 px wrong joins appear (0.4 %), hence quality.MIN_SMALL_FACE_PX = 20.
    small_face_threshold=0.40,
    # scripts/calibrate_clustering.py, "split people" (each lfw-dev identity cut into its two least
    # alike halves): centred mean-face cosine >= 0.45 heals 99.2 % of pair recall (0.497 -> 0.992)
    # with precision 1.000 (bbt, portraits: 1.000/1.000); at 0.35 lfw-dev precision falls to 0.93.
    merge_threshold=0.45,
    # Offered, not applied: different lfw-dev identities' centred means reach 0.39 (p99.9 0.29).
    suggest_threshold=0.30,
    # scripts/calibrate_confidence.py (lfw-dev guest searches): maybe [0.422, 0.46), probably
    # [0.46, 0.52), very likely from 0.52; 99 % at 0.79, the 90th percentile of true matches.
    probably_threshold=0.46, very_likely_threshold=0.52, typical_threshold=0.79,
)
SFACE_FAST = Calibration(
    threshold=DEFAULT_MATCH_THRESHOLD, slope=71.7,
    search_threshold=0.419,  # calibrate_threshold.py: pooled FAR 1e-4 (lfw-dev TAR 0.987)
    search_person_threshold=0.45,  # as sface
    cluster_threshold=0.40,  # calibrate_clustering.py --first: precision 1.000 from 0.363 to 0.41, recall 0.996 at 0.40
    small_face_threshold=0.40,  # as sface (measured with sface; the two agree to ~0.01 on pairs)
    merge_threshold=0.45,  # calibrate_clustering.py: split-people recall 0.992, precision 1.000
    suggest_threshold=0.30,
    # calibrate_confidence.py --embedder sface-fast: the same edges; true matches' 90th percentile 0.784.
    probably_threshold=0.46, very_likely_threshold=0.52, typical_threshold=0.78,
)
CALIBRATIONS = {"sface": SFACE, "sface-fast": SFACE_FAST}


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
