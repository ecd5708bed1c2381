"""allauth is the door; Oscar's own identity URLs lead to it."""

import pytest
from django.core import mail

from shop.notifications.models import OutgoingEmail
from shop.notifications.services import email_deliver


@pytest.mark.parametrize(
    ("oscar_url", "allauth_url"),
    [
        ("/shop/accounts/login/?next=/shop/basket/", "/accounts/login/?next=/shop/basket/"),
        ("/shop/accounts/register/?next=/shop/checkout/", "/accounts/signup/?next=/shop/checkout/"),
        ("/shop/password-reset/", "/accounts/password/reset/"),
    ],
)
@pytest.mark.django_db
def test_oscar_identity_urls_redirect_to_allauth_keeping_next(client, oscar_url, allauth_url):
    response = client.get(oscar_url)
    assert response.status_code == 302
    assert response["Location"] == allauth_url


@pytest.mark.django_db
def test_signup_email_links_use_the_public_base_url(client, settings):
    settings.SHOP_BASE_URL = "https://shop.example.com"
    client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "correct-horse-battery", "password2": "correct-horse-battery"},
        HTTP_HOST="127.0.0.1",
    )
    email = OutgoingEmail.objects.get(to=["new@example.com"])
    assert "https://shop.example.com/accounts/confirm-email/" in email.body

    assert email_deliver(email_id=email.pk) is True
    assert email_deliver(email_id=email.pk) is False, "delivering twice sends once"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.com"]


@pytest.mark.django_db
def test_signup_tells_oscar_a_user_registered(client):
    from oscar.apps.customer.signals import user_registered

    heard = []

    def listener(sender, request, user, **kwargs):
        heard.append(user.email)

    user_registered.connect(listener)
    try:
        client.post(
            "/accounts/signup/",
            {"email": "oscar@example.com", "password1": "correct-horse-battery", "password2": "correct-horse-battery"},
        )
    finally:
        user_registered.disconnect(listener)
    assert heard == ["oscar@example.com"]


@pytest.mark.django_db
def test_emails_are_case_insensitively_unique(django_user_model):
    from django.db import IntegrityError, transaction

    django_user_model.objects.create_user("Jane@Example.com", "pw-123456789")
    with pytest.raises(IntegrityError), transaction.atomic():
        django_user_model.objects.create_user("jane@example.com", "pw-123456789")


@pytest.mark.django_db
def test_a_bad_sign_up_says_what_is_wrong_and_creates_nothing(client, django_user_model):
    response = client.post("/accounts/signup/", {"email": "x@example.com", "password1": "abc", "password2": "abc"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too short" in html
    assert 'class="form-control is-invalid"' in html
    assert not django_user_model.objects.filter(email="x@example.com").exists()
    assert not OutgoingEmail.objects.exists()
