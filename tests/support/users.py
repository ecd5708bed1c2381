from shop.demo.accounts import DEMO_PASSWORD


def login(client, email: str) -> None:
    """Log in through allauth's own form, as a person would."""
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content[:500]


def user_with_login(email: str, *, is_staff: bool = False, permissions: tuple[str, ...] = ()):
    """A user who can log in through allauth (verified email, the demo password), with optional permissions."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(email=email, password=DEMO_PASSWORD)
    if is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user
