from django.db import models
from django.db.models.functions import Lower
from oscar.apps.customer.abstract_models import AbstractUser


class User(AbstractUser):
    """The shop's user: Oscar's email-only user, unique on the email's lower case."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def save(self, *args, **kwargs):
        # allauth looks accounts up by the lower-cased address. Users made elsewhere (createsuperuser, the
        # admin, Wagtail's user editor) would otherwise keep capitals that allauth never finds, and a
        # sign-up with the same address would crash on the case-insensitive unique constraint.
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)
