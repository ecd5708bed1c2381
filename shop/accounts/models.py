from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.abstract_models import AbstractUser
from phonenumber_field.modelfields import PhoneNumberField


class User(AbstractUser):
    """The shop's user: Oscar's email-only user, unique on the email's lower case, with a phone number and
    how they like to hear about deliveries. (Oscar's profile page and form show the extra fields.)"""

    phone_number = PhoneNumberField(_("Phone number"), blank=True, help_text=_("For the courier, if needed."))
    delivery_updates_by_email = models.BooleanField(
        _("Email me when a parcel is out for delivery and when it is delivered"),
        default=True,
        help_text=_("Order confirmations, receipts and the email with the tracking link always come."),
    )

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


class SignInDevice(models.Model):
    """A device (browser on a system) someone has signed in from: a sign-in from a new one is emailed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_devices")
    label = models.CharField(max_length=200)  # "Firefox on Linux", from devices.device_label
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint("user", "label", name="accounts_signindevice_unique")]

    def __str__(self) -> str:
        return self.label
