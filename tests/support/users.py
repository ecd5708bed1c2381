from shop.demo.accounts import DEMO_PASSWORD


def login(client, email: str) -> None:
    """Log in through allauth's own form, as a person would."""
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content[:500]
