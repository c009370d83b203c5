"""The retry schedule: doubling, capped, jittered, and never sooner than the server's Retry-After."""
import random

from visage_upload.uploader import Backoff


def test_delays_double_up_to_the_cap_with_jitter():
    random.seed(7)
    backoff = Backoff(first=1.0, cap=8.0)
    delays = [backoff.next_delay() for _ in range(7)]
    for failures, delay in enumerate(delays):
        ceiling = min(8.0, 2.0 ** failures)
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 8.0
    assert len({round(d, 6) for d in delays}) == len(delays)  # jittered: clients coming back do not stampede


def test_retry_after_is_honoured_and_success_starts_over():
    backoff = Backoff(first=1.0, cap=60.0)
    assert backoff.next_delay(retry_after=30) >= 30
    assert backoff.next_delay(retry_after=0) <= 2.0
    backoff.reset()
    assert backoff.next_delay() <= 1.0
