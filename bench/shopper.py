"""A shopper for the benchmarks: an HTTP client that does what a browser does on the shop's pages.

Pages cached whole for anonymous visitors (product and category pages, shop/pagecache/) carry no CSRF token:
their forms have an empty one that visitor.js fills from GET /shop/visitor/. The shopper runs that script's
request the same way (the product it shows, recently viewed if the page has the block), and if the endpoint
fails it posts the form without a token as the browser would; like a browser it says that its forms come from the
shop's own pages (Origin, Sec-Fetch-Site), so the shop takes that post in one step (shop/pagecache/posts.py).
Every other form is posted with the token of the page it came from, and every redirect is followed.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import requests

ADDRESS = {
    "first_name": "Anna",
    "last_name": "de Vries",
    "country": "NL",
    "postcode": "1012 LG",
    "house_number": "1",
    "street": "Damrak",
    "line4": "Amsterdam",
    "phone_number": "+31 20 123 4567",
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
EMPTY_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=)""')
VISITOR_SCRIPT = re.compile(r'data-visitor-url="([^"]+)"')  # templates/oscar/partials/extrascripts.html
VISITOR_PRODUCT = re.compile(r'<meta name="visitor-product" content="(\d+)"')
RECENTLY_VIEWED = "data-visitor-recently-viewed"
ADD_TO_BASKET = re.compile(r'action="(/shop/basket/add/\d+/)"')
REFRESH = re.compile(r'http-equiv="refresh" content="(\d+)"')
SHIPPING_METHOD = re.compile(r'name="method_code" value="([^"]+)"')
RETURN_PATH = r"/shop/checkout/payment/(?P<number>[^/]+)/[^/]+/$"


class OrderFailed(Exception):
    pass


@dataclass
class Placed:
    number: str
    email: str
    seconds: float  # product page to thank-you page
    steps: dict[str, float]  # seconds per step, redirects followed included
    requests: int
    refreshes: int  # times the "waiting for your payment" page had to refresh itself first


def expect_page(response: requests.Response, path: str, step: str) -> str:
    """The page a browser ends on after following redirects: 200 at `path`, or OrderFailed."""
    hops = [r.status_code for r in response.history]
    landed = urlsplit(response.url).path
    if response.status_code != 200 or landed != path or any(code not in (301, 302, 303) for code in hops):
        raise OrderFailed(f"{step}: expected 200 at {path}, got {hops + [response.status_code]} at {landed}")
    return response.text


def expect_redirect(response: requests.Response, status: int, pattern: str, step: str) -> str:
    location = response.headers.get("Location", "")
    if response.status_code != status or not re.search(pattern, location):
        raise OrderFailed(f"{step}: expected {status} to {pattern}, got {response.status_code} {location}")
    return location


class Shopper:
    """One client: a requests.Session (one keep-alive connection per server); each order is a new guest.

    `on_response(response)` is called for every response, redirects and the simulator's included."""

    def __init__(self, shop_url: str, on_response: Callable[[requests.Response], None] | None = None):
        self.shop = shop_url
        self.http = requests.Session()
        if on_response is not None:
            self.http.hooks["response"].append(lambda response, *args, **kwargs: on_response(response))
        self.steps: dict[str, float] = {}
        self.requests = 0
        self.paid: list[tuple[str, float]] = []  # (order number, time.time()) each time Mollie said paid

    def new_guest(self) -> None:
        self.http.cookies.clear()  # a new session, basket and CSRF cookie
        self.steps, self.requests = {}, 0

    def request(self, step: str, url: str, data: dict | None = None, *, follow=True, headers=None):
        """GET `url`, or POST `data`; timed under `step` (redirects followed included)."""
        url = url if url.startswith("http") else self.shop + url
        started = time.perf_counter()
        method = "GET" if data is None else "POST"
        response = self.http.request(method, url, data=data, allow_redirects=follow, headers=headers, timeout=60)
        self.steps[step] = self.steps.get(step, 0.0) + time.perf_counter() - started
        self.requests += 1 + len(response.history)
        return response

    def open(self, step: str, url: str) -> str:
        """The page at `url` as the browser has it once its scripts ran (a cached page's tokens filled in)."""
        page = expect_page(self.request(step, url), urlsplit(url).path, step)
        return self._run_visitor_script(step, page)

    def _run_visitor_script(self, step: str, page: str) -> str:
        """What shop/pagecache/static/shop/js/visitor.js does for forms: ask /shop/visitor/ for the token."""
        script = VISITOR_SCRIPT.search(page)
        if not script:
            return page  # not a cached page: its forms carry their tokens
        query = {}
        if product := VISITOR_PRODUCT.search(page):
            query["product"] = product[1]
        if RECENTLY_VIEWED in page:
            query["recently_viewed"] = "1"
        url = script[1] + (f"?{urlencode(query)}" if query else "")
        response = self.request(step, url, headers={"Accept": "application/json"})
        try:
            token = response.json()["csrfToken"] if response.status_code == 200 else ""
        except (ValueError, KeyError):
            token = ""
        # No token: the script gives up and the forms post without one, as in the browser.
        return EMPTY_CSRF.sub(rf'\g<1>"{token}"', page) if token else page

    def submit(self, step: str, url: str, data: dict, *, page: str, follow=True):
        """POST a form of `page` with its token (empty on a cached page whose script got no answer), with the
        headers a browser sends with a form that one of the shop's pages posts to the shop."""
        token = CSRF.search(page)
        if not token:
            raise OrderFailed(f"{step}: no form with a CSRF token on the page")
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.shop))
        headers = {"Origin": origin, "Sec-Fetch-Site": "same-origin"}
        return self.request(step, url, {"csrfmiddlewaretoken": token[1], **data}, follow=follow, headers=headers)

    # --- Parts of a visit --------------------------------------------------------------------------

    def add_to_basket(self, product_url: str) -> str:
        """Product page, add one to the basket; returns the basket page."""
        page = self.open("product page", product_url)
        add_url = ADD_TO_BASKET.search(page)
        if not add_url:
            raise OrderFailed("product page: no add-to-basket form")
        response = self.submit("add to basket", add_url[1], {"quantity": 1}, page=page)
        return expect_page(response, "/shop/basket/", "add to basket")

    def check_out(self, email: str) -> str:
        """A guest with something in the basket: checkout pages up to place order; returns Mollie's checkout URL."""
        page = self.open("checkout", "/shop/checkout/")
        response = self.submit("guest", "/shop/checkout/", {"username": email, "options": "anonymous"}, page=page)
        page = expect_page(response, "/shop/checkout/shipping-address/", "guest")
        response = self.submit("address", "/shop/checkout/shipping-address/", ADDRESS, page=page)
        page = expect_page(response, "/shop/checkout/shipping-method/", "address")
        method = SHIPPING_METHOD.search(page)
        if not method:
            raise OrderFailed("shipping method: no method offered")
        response = self.submit("delivery", "/shop/checkout/shipping-method/", {"method_code": method[1]}, page=page)
        page = expect_page(response, "/shop/checkout/payment-method/", "delivery")
        response = self.submit("payment method", "/shop/checkout/payment-method/", {"method": "ideal"}, page=page)
        page = expect_page(response, "/shop/checkout/preview/", "payment method")
        form = {"action": "place_order", "accept_terms": "1"}
        response = self.submit("place order", "/shop/checkout/preview/", form, page=page, follow=False)
        return expect_redirect(response, 302, r"/checkout/tr_\w+$", "place order")

    def pay(self, checkout_url: str) -> str:
        """At Mollie's hosted checkout (the simulator): pay; returns the shop's return URL."""
        expect_page(self.request("simulator page", checkout_url), urlsplit(checkout_url).path, "simulator page")
        response = self.request("simulator paid", checkout_url, {"status": "paid"}, follow=False)
        return_url = expect_redirect(response, 303, RETURN_PATH, "simulator paid")
        self.paid.append((re.search(RETURN_PATH, return_url)["number"], time.time()))
        return return_url

    def come_back(self, return_url: str) -> int:
        """Back at the shop until the thank-you page shows the order; returns how often it had to wait."""
        response, refreshes = self.request("return", return_url), 0
        while (refresh := REFRESH.search(response.text)) and refreshes < 10:  # the page says "wait": as a browser
            expect_page(response, urlsplit(return_url).path, "return")
            time.sleep(int(refresh[1]))
            response, refreshes = self.request("return", return_url), refreshes + 1
        page = expect_page(response, "/shop/checkout/thank-you/", "return")
        number = re.search(RETURN_PATH, return_url)["number"]
        if f"<strong>{number}</strong>" not in page:
            raise OrderFailed(f"thank-you page: order {number} not shown")
        return refreshes

    def order(self, product_url: str, email: str) -> Placed:
        """A new guest buys one product, from its page to the thank-you page (17 requests, 15 to the shop)."""
        self.new_guest()
        started = time.perf_counter()
        self.add_to_basket(product_url)
        return_url = self.pay(self.check_out(email))
        refreshes = self.come_back(return_url)
        number = re.search(RETURN_PATH, return_url)["number"]
        return Placed(number, email, time.perf_counter() - started, self.steps, self.requests, refreshes)
