"""The guest match scale (recognition.ml.calibration): anchors per model, monotonic, never 100."""
import numpy as np
import pytest

from recognition.ml.calibration import CALIBRATIONS, confidence_band


@pytest.mark.parametrize("name", sorted(CALIBRATIONS))
def test_each_models_band_edges_read_50_70_90(name):
    model = CALIBRATIONS[name]
    assert model.search_threshold < model.probably_threshold < model.very_likely_threshold < model.typical_threshold
    edges = [model.search_threshold, model.probably_threshold, model.very_likely_threshold, model.typical_threshold]
    assert [round(model.match_confidence(c), 6) for c in edges] == [50, 70, 90, 99]
    assert [confidence_band(model.match_confidence(c + 1e-6)) for c in edges[:3]] == ["maybe", "probably", "very_likely"]
    scale = [model.match_confidence(c) for c in np.linspace(0, 1, 1001)]
    assert all(b > a for a, b in zip(scale, scale[1:]) if b < 99.9) and max(scale) == 99.9 and min(scale) == 0
