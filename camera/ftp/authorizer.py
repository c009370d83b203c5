"""Logins against the database: camera.services.camera_login decides (hash, lockout, switched off);
this only adapts it to pyftpdlib and caps an account's sessions at once."""
import threading
from collections import Counter

from django.db import close_old_connections
from pyftpdlib.authorizers import AuthenticationFailed

from camera.services import CameraLoginRefused, camera_login

# e: CWD, l: LIST/NLST/MLSD/SIZE/MDTM, m: MKD (virtual folders), w: STOR. No r(ead), a(ppend),
# d(elete), f (rename), M (chmod), T (set times): an account only adds photos to its event.
PERMISSIONS = "elmw"


class SessionCounter:
    def __init__(self, limit: int):
        self.limit = limit
        self._open: Counter[int] = Counter()
        self._lock = threading.Lock()

    def acquire(self, account_id: int) -> bool:
        with self._lock:
            if self._open[account_id] >= self.limit:
                return False
            self._open[account_id] += 1
            return True

    def release(self, account_id: int) -> None:
        with self._lock:
            self._open[account_id] -= 1
            if self._open[account_id] <= 0:
                del self._open[account_id]


class CameraAuthorizer:
    def validate_authentication(self, username: str, password: str, handler) -> None:
        close_old_connections()  # a long-lived connection thread: drop a connection the database closed
        try:
            login = camera_login(username=username, password=password, client=handler.remote_ip)
        except CameraLoginRefused as exc:
            raise AuthenticationFailed(str(exc)) from exc
        if not handler.sessions.acquire(login.account_id):
            raise AuthenticationFailed(f"This camera account already has {handler.sessions.limit} sessions open")
        handler.camera_login = login

    def get_home_dir(self, username: str) -> str:
        return "/"

    def has_user(self, username: str) -> bool:
        return True  # never tell which usernames exist

    def has_perm(self, username: str, perm: str, path=None) -> bool:
        return perm in PERMISSIONS

    def get_perms(self, username: str) -> str:
        return PERMISSIONS

    def get_msg_login(self, username: str) -> str:
        return "Logged in. Photos you send here go to the event."

    def get_msg_quit(self, username: str) -> str:
        return "Goodbye."

    def impersonate_user(self, username: str, password: str) -> None:
        pass

    def terminate_impersonation(self, username: str) -> None:
        pass
