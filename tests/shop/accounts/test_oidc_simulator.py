"""The loopback OpenID Connect provider keeps the protocol's promises, checked over real HTTP with `requests`."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests

from shop.devtools.oidc import Identity, OidcSimulator

CALLBACK = "http://shop.test/accounts/oidc/demo-id/login/callback/"
ANNA = Identity(sub="anna-1", email="anna@example.com", email_verified=True, name="Anna de Vries")


@pytest.fixture
def provider():
    simulator = OidcSimulator(client_id="shop", client_secret="s3cret", redirect_uris=(CALLBACK,))
    simulator.start()
    simulator.sign_in(ANNA)
    yield simulator
    simulator.stop()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(provider, **overrides) -> requests.Response:
    params = {
        "client_id": "shop",
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": "openid profile email",
        "state": "st-1",
        **overrides,
    }
    return requests.get(f"{provider.url}/authorize", params=params, allow_redirects=False, timeout=5)


def answer(response: requests.Response) -> dict[str, str]:
    """The query the provider sent the browser back to the client with."""
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(CALLBACK)
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def exchange(provider, code, *, secret="s3cret", redirect_uri=CALLBACK, basic=False, **extra) -> requests.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, **extra}
    auth = None
    if basic:
        auth = ("shop", secret)
    else:
        form.update(client_id="shop", client_secret=secret)
    return requests.post(f"{provider.url}/token", data=form, auth=auth, timeout=5)


def test_the_code_flow_ends_in_a_signed_id_token_and_userinfo(provider):
    config = requests.get(f"{provider.url}/.well-known/openid-configuration", timeout=5).json()
    assert config["issuer"] == provider.url
    assert config["authorization_endpoint"] == f"{provider.url}/authorize"
    verifier, challenge = pkce_pair()

    back = answer(authorize(provider, nonce="n-42", code_challenge=challenge, code_challenge_method="S256"))
    assert back["state"] == "st-1"
    tokens = exchange(provider, back["code"], basic=True, code_verifier=verifier)

    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["Cache-Control"] == "no-store"
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    jwks = requests.get(config["jwks_uri"], timeout=5).json()
    key = jwt.PyJWK(jwks["keys"][0]).key
    claims = jwt.decode(body["id_token"], key, algorithms=["RS256"], audience="shop", issuer=provider.url)
    assert claims["sub"] == "anna-1" and claims["nonce"] == "n-42" and claims["email_verified"] is True
    assert claims["exp"] > claims["iat"]
    userinfo = requests.get(
        config["userinfo_endpoint"], headers={"Authorization": f"Bearer {body['access_token']}"}, timeout=5
    )
    assert userinfo.json() == {
        "sub": "anna-1",
        "email": "anna@example.com",
        "email_verified": True,
        "name": "Anna de Vries",
    }


def test_a_code_is_good_once_and_its_replay_revokes_what_it_bought(provider):
    code = answer(authorize(provider))["code"]
    first = exchange(provider, code)
    assert first.status_code == 200

    replay = exchange(provider, code)

    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    userinfo = requests.get(
        f"{provider.url}/userinfo", headers={"Authorization": f"Bearer {first.json()['access_token']}"}, timeout=5
    )
    assert userinfo.status_code == 401
    assert userinfo.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"secret": "wrong"}, 401, "invalid_client"),
        ({"secret": "wrong", "basic": True}, 401, "invalid_client"),
        ({"redirect_uri": "http://shop.test/elsewhere/"}, 400, "invalid_grant"),
        ({"code_verifier": "x" * 43}, 400, "invalid_grant"),  # no challenge was sent for this code
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
    ],
)
def test_the_token_endpoint_refuses_in_oauths_error_shape(provider, change, status, error):
    code = answer(authorize(provider))["code"]

    response = exchange(provider, code, **change)

    assert (response.status_code, response.json()["error"]) == (status, error)
    assert provider.requests_to("/token")[-1]["error"] == error


def test_pkce_needs_the_verifier_that_made_the_challenge(provider):
    verifier, challenge = pkce_pair()
    code = answer(authorize(provider, code_challenge=challenge, code_challenge_method="S256"))["code"]
    assert exchange(provider, code).json()["error"] == "invalid_grant"  # no verifier

    code = answer(authorize(provider, code_challenge=challenge, code_challenge_method="S256"))["code"]
    other_verifier, _ = pkce_pair()
    assert exchange(provider, code, code_verifier=other_verifier).json()["error"] == "invalid_grant"

    code = answer(authorize(provider, code_challenge=challenge, code_challenge_method="S256"))["code"]
    assert exchange(provider, code, code_verifier=verifier).status_code == 200


def test_an_unregistered_client_or_redirect_uri_is_never_redirected_to(provider):
    for response in (authorize(provider, client_id="stranger"), authorize(provider, redirect_uri="http://evil.test/")):
        assert response.status_code == 400
        assert "Location" not in response.headers


def test_a_refusal_at_the_provider_goes_back_with_the_state(provider):
    provider.deny_next()
    assert answer(authorize(provider)) == {
        "error": "access_denied",
        "error_description": "the person declined",
        "state": "st-1",
    }
    provider.sign_out()
    assert answer(authorize(provider))["error"] == "login_required"
    assert answer(authorize(provider, scope="email"))["error"] == "invalid_scope"


def test_only_the_advertised_client_authentication_is_accepted():
    provider = OidcSimulator(client_secret="s3cret", token_auth_methods=("client_secret_basic",))
    provider.start()
    try:
        provider.sign_in(ANNA)
        config = requests.get(f"{provider.url}/.well-known/openid-configuration", timeout=5).json()
        assert config["token_endpoint_auth_methods_supported"] == ["client_secret_basic"]
        code = answer(authorize(provider))["code"]
        assert exchange(provider, code).json()["error"] == "invalid_client"  # secret in the body
        code = answer(authorize(provider))["code"]
        assert exchange(provider, code, basic=True).status_code == 200
    finally:
        provider.stop()
