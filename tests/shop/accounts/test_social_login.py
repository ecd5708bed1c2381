"""Social login, end to end against a loopback OpenID Connect provider.

The shop's own allauth code talks to the provider over real HTTP (discovery, authorization code exchange with
PKCE, userinfo); Django's test client is the browser, carried to the provider and back by real 302 redirects.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.test import Client

from shop.demo.accounts import DEMO_PASSWORD
from shop.devtools.oidc import Identity
from shop.notifications.models import OutgoingEmail
from tests.support.oidc import (
    PROVIDER_ID,
    authorize_at_provider,
    back_at_shop,
    go_to_provider,
    social_login,
)
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db

ANNA = Identity(
    sub="anna-0001",
    email="anna@example.com",
    email_verified=True,
    name="Anna de Vries",
    given_name="Anna",
    family_name="de Vries",
)


def signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def text(response) -> str:
    return response.content.decode()


def test_a_new_person_signs_up_through_the_provider_and_is_signed_in(client, oidc_provider):
    oidc_provider.sign_in(ANNA)

    response = social_login(client, next="/shop/basket/")

    assert response.status_code == 302 and response["Location"] == "/shop/basket/"
    user = get_user_model().objects.get(email="anna@example.com")
    assert signed_in_user_id(client) == user.pk
    assert (user.first_name, user.last_name) == ("Anna", "de Vries")
    assert not user.has_usable_password()
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == (PROVIDER_ID, "anna-0001")
    assert EmailAddress.objects.filter(user=user, email="anna@example.com", verified=True, primary=True).exists()
    assert "Successfully signed in as anna@example.com" in text(client.get("/shop/basket/"))
    # The server side did the real exchange: code + PKCE verifier + client secret, then userinfo with the token.
    (token_request,) = oidc_provider.requests_to("/token")
    assert token_request["status"] == 200 and token_request["form"]["code_verifier"]
    assert token_request["form"]["client_id"] == "shop-demo" and token_request["form"]["client_secret"]
    (userinfo_request,) = oidc_provider.requests_to("/userinfo")
    assert userinfo_request["status"] == 200 and userinfo_request["authorization"].startswith("Bearer ")
    (authorize_request,) = oidc_provider.requests_to("/authorize")
    assert authorize_request["query"]["code_challenge_method"] == "S256"
    assert set(authorize_request["query"]["scope"].split()) == {"openid", "profile", "email"}


def test_a_provider_email_is_stored_lower_cased(client, oidc_provider):
    oidc_provider.sign_in(Identity(sub="cas-1", email="Cas.Jansen@Example.COM", email_verified=True))

    social_login(client)

    user = get_user_model().objects.get(pk=signed_in_user_id(client))
    assert user.email == "cas.jansen@example.com"
    assert EmailAddress.objects.get(user=user).email == "cas.jansen@example.com"


def test_the_login_page_offers_the_provider(client, oidc_provider):
    page = text(client.get("/accounts/login/"))

    assert f'href="/accounts/oidc/{PROVIDER_ID}/login/?process=login"' in page
    assert "Demo ID" in page


def test_a_returning_social_user_signs_in_to_the_same_account(client, oidc_provider):
    oidc_provider.sign_in(ANNA)
    social_login(client)
    first_id = signed_in_user_id(client)
    client.post("/accounts/logout/")
    assert signed_in_user_id(client) is None

    # Same person (same subject), even after changing their address at the provider.
    oidc_provider.sign_in(Identity(sub="anna-0001", email="anna.new@example.com", email_verified=True))
    other_browser = Client()
    response = social_login(other_browser)

    assert response.status_code == 302
    assert signed_in_user_id(other_browser) == first_id
    assert get_user_model().objects.count() == 1
    assert SocialAccount.objects.filter(user_id=first_id).count() == 1


@pytest.mark.parametrize("provider_email", ["shopper@example.com", "Shopper@Example.COM"])
def test_a_provider_email_of_an_existing_account_does_not_open_it(client, oidc_provider, provider_email):
    owner = user_with_login("shopper@example.com")
    # The strongest claim a provider can make: "this person's address is verified".
    oidc_provider.sign_in(Identity(sub="someone-else", email=provider_email, email_verified=True))

    response = social_login(client)

    assert signed_in_user_id(client) is None
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert "We have sent an email to you for verification" in text(client.get(response["Location"]))
    # Only the mailbox's owner learns that the account exists, and how to get into it.
    (notice,) = OutgoingEmail.objects.filter(to=["shopper@example.com"])
    assert "an account using that email address already exists" in notice.body
    assert not SocialAccount.objects.exists()
    assert list(get_user_model().objects.values_list("pk", flat=True)) == [owner.pk]
    owner.refresh_from_db()
    assert owner.check_password(DEMO_PASSWORD), "the owner's password still works"


def test_no_provider_setting_lets_an_email_open_an_existing_account(client, oidc_provider):
    user_with_login("shopper@example.com")
    # An admin ticks allauth's per-provider "email_authentication" in the app's settings: still no way in.
    SocialApp.objects.filter(provider_id=PROVIDER_ID).update(
        settings={**SocialApp.objects.get(provider_id=PROVIDER_ID).settings, "email_authentication": True}
    )
    oidc_provider.sign_in(Identity(sub="someone-else", email="shopper@example.com", email_verified=True))

    social_login(client)

    assert signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()


def test_the_owner_proves_ownership_by_signing_in_then_connects_the_provider(client, oidc_provider):
    owner = user_with_login("shopper@example.com")
    oidc_provider.sign_in(Identity(sub="shopper-at-idp", email="shopper@example.com", email_verified=True))
    login(client, "shopper@example.com")  # the proof: the account's own password

    response = social_login(client, process="connect")

    # Connecting is a change to how the account signs in: the password is asked again first.
    assert response.status_code == 302 and response["Location"] == "/accounts/reauthenticate/"
    assert not SocialAccount.objects.exists()
    response = client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/"
    assert SocialAccount.objects.get(uid="shopper-at-idp").user == owner
    client.post("/accounts/logout/")
    other_browser = Client()
    social_login(other_browser)
    assert signed_in_user_id(other_browser) == owner.pk


def test_a_forged_state_fails_without_a_session_or_a_code_exchange(client, oidc_provider):
    oidc_provider.sign_in(ANNA)
    callback = authorize_at_provider(go_to_provider(client))
    forged = callback.replace(f"state={_query(callback)['state']}", "state=forged-state")

    response = back_at_shop(client, forged)

    assert response.status_code == 401
    assert "Third-Party Login Failure" in text(response)
    assert signed_in_user_id(client) is None
    assert not get_user_model().objects.exists()
    assert oidc_provider.requests_to("/token") == [], "the code was never exchanged"


def test_a_callback_from_another_browsers_login_fails(oidc_provider):
    """Login CSRF: an attacker's code and state, delivered to the victim's browser, do not sign the victim in."""
    oidc_provider.sign_in(ANNA)
    attacker, victim = Client(), Client()
    attackers_callback = authorize_at_provider(go_to_provider(attacker))

    response = back_at_shop(victim, attackers_callback)

    assert "Third-Party Login Failure" in text(response)
    assert signed_in_user_id(victim) is None
    assert not get_user_model().objects.exists()


def test_a_replayed_code_fails_without_a_session(client, oidc_provider):
    oidc_provider.sign_in(ANNA)
    used_callback = authorize_at_provider(go_to_provider(client))
    back_at_shop(client, used_callback)
    assert signed_in_user_id(client) is not None

    # The same callback again, in the same browser: its state is spent.
    client.post("/accounts/logout/")
    assert "Third-Party Login Failure" in text(back_at_shop(client, used_callback))
    assert signed_in_user_id(client) is None
    # The stolen code under a fresh state of another browser: the provider refuses the second exchange.
    thief = Client()
    fresh_callback = authorize_at_provider(go_to_provider(thief))
    stolen = fresh_callback.replace(f"code={_query(fresh_callback)['code']}", f"code={_query(used_callback)['code']}")
    response = back_at_shop(thief, stolen)

    assert "Third-Party Login Failure" in text(response)
    assert signed_in_user_id(thief) is None
    assert [(r["status"], r["error"]) for r in oidc_provider.requests_to("/token")] == [
        (200, None),
        (400, "invalid_grant"),
    ]


def test_an_unverified_provider_email_must_be_verified_before_signing_in(client, oidc_provider):
    oidc_provider.sign_in(Identity(sub="ben-0002", email="ben@example.com", email_verified=False, name="Ben"))

    response = social_login(client)

    assert signed_in_user_id(client) is None
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get(email="ben@example.com")
    assert EmailAddress.objects.filter(user=user, email="ben@example.com", verified=False).exists()
    # Signing in through the provider again still stops at verification.
    client.post("/accounts/logout/")
    social_login(client)
    assert signed_in_user_id(client) is None

    (confirmation, *_) = OutgoingEmail.objects.filter(to=["ben@example.com"]).order_by("pk")
    confirm_path = urlsplit(next(w for w in confirmation.body.split() if "/accounts/confirm-email/" in w)).path
    client.post(confirm_path)

    assert EmailAddress.objects.get(user=user).verified
    fresh = Client()
    social_login(fresh)
    assert signed_in_user_id(fresh) == user.pk


def test_a_refusal_at_the_provider_signs_nobody_in(client, oidc_provider):
    oidc_provider.sign_in(ANNA)
    oidc_provider.deny_next()

    response = social_login(client)

    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/login/cancelled/"
    assert "Login Cancelled" in text(client.get(response["Location"]))
    assert signed_in_user_id(client) is None
    assert not get_user_model().objects.exists()


def _query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
