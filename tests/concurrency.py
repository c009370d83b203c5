"""Run one action in many threads released at the same moment (races against the database)."""
import threading

from django.db import connection


def at_once(action, *, times: int, refused: type[Exception]) -> list:
    """Each thread's result, or the `refused` exception it raised; every thread closes its own
    database connection."""
    start, outcomes = threading.Barrier(times), []

    def run():
        try:
            start.wait(10)
            outcomes.append(action())
        except refused as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes
