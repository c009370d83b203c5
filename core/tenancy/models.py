"""The tenancy core: a Studio is the tenant; users sign in with their email address."""
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        return self._create(email, password, is_staff=True, is_superuser=True, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField(unique=True)
    # API tokens issued before this moment stop working (core.authentication).
    password_changed_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    def __str__(self) -> str:
        return self.email

    def set_password(self, raw_password) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class Studio(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    PHOTOGRAPHER = "photographer", "Photographer"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PHOTOGRAPHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["studio", "user"], name="membership_unique_user_per_studio")]

    def __str__(self) -> str:
        return f"{self.user} in {self.studio} ({self.role})"


class RateCounter(models.Model):
    """One rate-limit window (core.ratelimit): how many hits, until when (epoch seconds)."""

    bucket = models.CharField(max_length=200, unique=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.FloatField(db_index=True)


class ApiKeyScope(models.TextChoices):
    READ = "read", "Read"
    UPLOAD = "upload", "Upload"
    FULL = "full", "Full"


# The role an API key's service account holds in its studio, by the key's scope. Kept beside the scopes
# (core.tenancy.api_keys creates the membership; core.access, which imports this module, publishes it as
# KEY_SCOPE_ROLES with the other role rules): what a scope may do beyond that role is core.api_keys.key_may.
API_KEY_SCOPE_ROLES = {ApiKeyScope.READ: Role.VIEWER, ApiKeyScope.UPLOAD: Role.PHOTOGRAPHER, ApiKeyScope.FULL: Role.ADMIN}


class StudioApiKey(models.Model):
    """A studio's API key. It acts through its own hidden service account, a member of this studio
    only (role from the scope, core.tenancy.api_keys), so every scoped view works unchanged and the
    key can reach nothing outside the studio. Only a SHA-256 of the key is stored: the key is 32
    random bytes, so a fast hash is as good as a slow one here."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=ApiKeyScope.choices)
    prefix = models.CharField(max_length=16, unique=True, help_text="The key's visible start, for lookup and lists.")
    key_hash = models.CharField(max_length=64)
    service_user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="api_key")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True, default="",
                                      help_text="Why it stopped working, when not revoked by hand (its creator left).")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.scope})"


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an Idempotency-Key (core.idempotency): a retry with the
    same key replays it. The row is inserted before the work runs, so a concurrent duplicate finds
    it (and gets a 409) instead of running too."""

    principal = models.CharField(max_length=40, help_text="user:<id> or key:<id>: keys are private to whoever sent them.")
    studio = models.ForeignKey(Studio, null=True, on_delete=models.CASCADE, related_name="+",
                               help_text="The studio the request acted in (X-Studio): a key is private to it too.")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body (file names and sizes).")
    status = models.PositiveSmallIntegerField(null=True, help_text="Null while the first request still runs.")
    body = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    # The answer showed a secret: body holds only the created object's id, and a retry is a 409.
    secret_redacted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        # Two partial constraints, as NULLs are distinct in a unique index (no studio: a signed-in user
        # without a membership, on the few routes that allow it).
        constraints = [
            models.UniqueConstraint(fields=["principal", "studio", "key"], condition=models.Q(studio__isnull=False),
                                    name="idempotency_unique_key_per_principal_studio"),
            models.UniqueConstraint(fields=["principal", "key"], condition=models.Q(studio__isnull=True),
                                    name="idempotency_unique_key_per_principal_no_studio"),
        ]
