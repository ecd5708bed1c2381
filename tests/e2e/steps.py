"""Steps of the browser journeys, as a shopper or staff member takes them, and what arrives by email."""

import email
import re
import time
from email.message import Message
from pathlib import Path

from playwright.sync_api import expect

from shop.demo.accounts import DEMO_PASSWORD
from tests.support.users import a_fresh_totp_period, totp_code

MOLLIE_PAGE = "Mollie simulator — test payment"
CONFIRMATION = re.compile(r"^\s*Order (\w+): confirmation\s*$")
RECEIPT_LINK = re.compile(r"^Receipt \S+ \(PDF\)$")
EMAIL_WAIT_SECONDS = 20


def sign_in(page, base_url: str, email_address: str, *, totp_secret: str | None = None) -> None:
    """allauth's sign-in form; with `totp_secret`, the authenticator app's code at the second step."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email_address)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp_secret:
        expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
        with a_fresh_totp_period():
            page.get_by_placeholder("Code").fill(totp_code(totp_secret))
            page.get_by_role("button", name="Sign In").click()
            expect(page.get_by_text(f"Successfully signed in as {email_address}")).to_be_visible()
    expect(page.get_by_text(f"Successfully signed in as {email_address}")).to_be_visible()


# --- What a shopper does --------------------------------------------------------------------


def add_a_product_to_the_basket(page, base_url: str) -> str:
    """Catalogue → a product in stock → "Add to cart"; returns the product's title."""
    page.goto(base_url + "/shop/catalogue/")
    card = page.locator("article.product_pod").filter(has_text="In stock").first
    expect(card).to_be_visible()
    link = card.locator("h3 a")
    title = link.get_attribute("title")
    link.click()
    expect(page.locator("h1")).to_have_text(title)
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text(f"{title} has been added to your cart")).to_be_visible()
    return title


def go_to_checkout(page, title: str) -> None:
    # The message's link (the header's mini basket has a "View cart" link too).
    page.locator(".alert").get_by_role("link", name="View cart").click()
    expect(page.get_by_text(title, exact=True)).to_be_visible()  # the line's title (its image has the same name)
    page.get_by_role("link", name="Proceed to checkout").click()


def checkout_as_guest(page, email_address: str) -> None:
    expect(page.get_by_role("heading", name="Who are you?")).to_be_visible()
    page.get_by_label("My email address is").fill(email_address)
    page.get_by_label("I am a new customer and want to checkout as a guest").check()
    # Enter submits the form wherever the button is: once in CI a click on "Continue" left the page
    # unchanged (the email field still focused), most likely a layout shift under the pointer.
    page.get_by_label("My email address is").press("Enter")
    page.wait_for_url(re.compile(r"/shop/checkout/shipping-address/"))


def deliver_to_amsterdam(page) -> None:
    expect(page.get_by_role("heading", name="Shipping address")).to_be_visible()
    page.get_by_label("First name").fill("Anna")
    page.get_by_label("Last name").fill("de Vries")
    # The shop's own country is chosen already, with its fields: postcode and house number first.
    expect(page.get_by_label("Country")).to_have_value("NL")
    page.get_by_label("Postcode").fill("1012 LG")
    page.get_by_label("House number", exact=True).fill("1")
    page.get_by_label("Street").fill("Damrak")
    page.get_by_label("City").fill("Amsterdam")
    page.get_by_role("button", name="Continue").click()


def choose_the_first_delivery_method(page) -> None:
    expect(page.get_by_role("heading", name="Shipping method")).to_be_visible()
    page.get_by_role("button", name="Select option").first.click()


def choose_payment_method(page, name: str) -> None:
    expect(page.get_by_role("heading", name="How would you like to pay?")).to_be_visible()
    methods = page.locator("#payment_method_form")
    for offered in ("Card", "iDEAL", "PayPal", "Bank transfer"):  # Mollie's methods for EUR in NL
        expect(methods.get_by_label(offered, exact=True)).to_be_visible()
    expect(methods.get_by_label("Bancontact", exact=True)).to_have_count(0)  # Belgium only
    methods.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Continue to preview").click()


def accept_the_terms_and_place_the_order(page, method: str) -> None:
    expect(page.locator("#chosen-payment-method")).to_have_text(method)
    expect(page.get_by_text(re.compile(r"VAT (9|21)% on €")).first).to_be_visible()
    page.get_by_label("I accept the terms and conditions").check()
    page.get_by_role("button", name="Place order and pay").click()


def pay_at_mollie(page, outcome: str, *, method: str) -> None:
    expect(page.get_by_role("heading", name=MOLLIE_PAGE)).to_be_visible()
    expect(page.locator("dd").filter(has_text=re.compile(rf"^{re.escape(method)}$"))).to_have_count(1)
    page.get_by_role("button", name=outcome, exact=True).click()


def confirmed_order_number(page) -> str:
    heading = page.get_by_role("heading", name=CONFIRMATION)
    expect(heading).to_be_visible()
    return CONFIRMATION.match(heading.inner_text()).group(1)


def download_receipt(page) -> tuple[str, bytes]:
    link = page.get_by_role("link", name=RECEIPT_LINK)
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


# --- What arrives by email ---------------------------------------------------------------------


def wait_for_confirmation_email(smtp_server, recipient: str) -> Message:
    """Poll the SMTP sink (bounded) until it holds exactly one email to `recipient` with a PDF attached."""
    deadline = time.monotonic() + EMAIL_WAIT_SECONDS
    while True:
        received = emails_to(smtp_server, recipient)
        if len(received) == 1 and pdf_attachments(received[0]):
            return received[0]
        if len(received) > 1 or time.monotonic() > deadline:
            raise AssertionError(
                f"expected one email with a PDF to {recipient} within {EMAIL_WAIT_SECONDS} s; the sink holds "
                f"{[(envelope.rcpt_tos, parsed(envelope)['Subject']) for envelope in smtp_server.messages]}"
            )
        time.sleep(0.2)


def parsed(envelope) -> Message:
    return email.message_from_bytes(envelope.content)


def emails_to(smtp_server, recipient: str) -> list[Message]:
    return [parsed(envelope) for envelope in list(smtp_server.messages) if envelope.rcpt_tos == [recipient]]


def pdf_attachments(message: Message) -> list[bytes]:
    return [part.get_payload(decode=True) for part in message.walk() if part.get_content_type() == "application/pdf"]


def text_body(message: Message) -> str:
    part = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def check_out_to_mollie(page, base_url: str, method: str, *, guest_email: str | None = None) -> None:
    """A product in the basket → (as a guest, or already signed in) address, delivery, payment method,
    terms → "Place order and pay": the browser ends on Mollie's hosted page."""
    title = add_a_product_to_the_basket(page, base_url)
    go_to_checkout(page, title)
    if guest_email:
        checkout_as_guest(page, guest_email)
    deliver_to_amsterdam(page)
    choose_the_first_delivery_method(page)
    choose_payment_method(page, method)
    accept_the_terms_and_place_the_order(page, method)
