"""Identity: allauth is the only way in, for shoppers and staff alike; second factor, sessions, passwords."""

from .environment import SHOP_BASE_URL, env

# --- Identity (allauth is the only way in) ---------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "customer:summary"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Changing the email address: one address per account; the new one replaces the old only once its link is
# followed, and only after the password is entered again (at most ACCOUNT_REAUTHENTICATION_TIMEOUT before).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Tell the owner when their password, email address or second factor changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = None  # the shopper chooses "Keep me signed in" (SESSION_COOKIE_AGE), or not
ACCOUNT_FORMS = {"login": "shop.accounts.forms.LoginForm"}
# A password-reset link works once (it is bound to the current password) and for this long.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
# Each signed-in request notes where and when the session was last seen (device, browser, IP), so the
# sessions page can show them; a shopper signs out every other session there.
USERSESSIONS_TRACK_ACTIVITY = True
# Staff-like users (dashboard, CMS or admin access) are signed out after this long without a request of their
# own (the editor's background ping does not count), "remember me" or not (shop/accounts/staff_policy.py).
SHOP_STAFF_IDLE_MINUTES = env.int("SHOP_STAFF_IDLE_MINUTES", default=30)
ACCOUNT_ADAPTER = "shop.accounts.adapter.AccountAdapter"
# Second factor: an authenticator app plus single-use recovery codes. Staff-like users must set it up
# before the dashboard, /cms/ or /django-admin/ opens or any staff privilege works (shop/accounts/staff_policy.py);
# shoppers may.
MFA_ADAPTER = "shop.accounts.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
SHOP_STAFF_MFA_REQUIRED = env.bool("SHOP_STAFF_MFA_REQUIRED", default=True)
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SHOP_BASE_URL.startswith("https") else "http"
# Providers (Google, Facebook, Apple, any OpenID Connect server) are configured in the database:
# Django admin → Social applications, one row each, never in settings as well (both at once raises
# MultipleObjectsReturned). Settings only harden the protocol: PKCE on every OpenID Connect login. The one
# exception is dev.py's "Demo identity provider" (the loopback simulator `make run` starts), registered in
# settings so that no other settings and no database ever carry it.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_ADAPTER = "shop.accounts.adapter.SocialAccountAdapter"
# A provider's word that an email is verified never opens an existing account: its owner signs in
# (password) and connects the provider at /accounts/3rdparty/ (shop/accounts/adapter.py).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 60 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
