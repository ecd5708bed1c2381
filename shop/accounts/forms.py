from allauth.account.forms import LoginForm as AllauthLoginForm
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form; "Remember me" says what it does and for how long (SESSION_COOKIE_AGE)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            days = settings.SESSION_COOKIE_AGE // (24 * 60 * 60)
            self.fields["remember"].label = _("Keep me signed in")
            self.fields["remember"].help_text = ngettext(
                "For %(days)d day on this browser; otherwise until you close it.",
                "For %(days)d days on this browser; otherwise until you close it.",
                days,
            ) % {"days": days}
