"""Security: throttles, the trusted proxies that name the client, the Content-Security-Policy, and the
header and cookie defaults (production.py tightens them further)."""

from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE

from .environment import env

# --- Throttles ------------------------------------------------------------------
# Guests looking an order up by number and email, per 15 minutes: tries per client (an IPv6 /64 is one
# client), and misses per order number before the page only offers to email the link (shop/orders/lookup.py).
SHOP_ORDER_LOOKUP_RATE = env.int("SHOP_ORDER_LOOKUP_RATE", default=10)
# Pushes a carrier may send per minute from one address before it is told to slow down (429).
SHOP_CARRIER_PUSH_RATE = env.int("SHOP_CARRIER_PUSH_RATE", default=300)
# Placing an order holds stock, creates a payment at Mollie and emails the address typed in:
# orders one client address may place per hour, and orders one email address may have waiting
# for payment at once (counted in the database, so paying or canceling one frees its place).
SHOP_CHECKOUT_RATE = env.int("SHOP_CHECKOUT_RATE", default=10)
SHOP_UNPAID_ORDERS_PER_EMAIL = env.int("SHOP_UNPAID_ORDERS_PER_EMAIL", default=3)
# Voucher codes one client address may try per 15 minutes (codes are guessable by brute force).
SHOP_VOUCHER_RATE = env.int("SHOP_VOUCHER_RATE", default=10)
# Per client (an IPv6 /64 is one) a minute, past which the 429 page answers: keyword searches, and apart from
# them the search box's suggestions (a request per pause in typing); products added to a basket (each writes a
# basket line). Far above what a person does, since many shoppers may share one address (offices, mobile NAT).
SHOP_SEARCH_RATE = env.int("SHOP_SEARCH_RATE", default=120)
SHOP_BASKET_ADD_RATE = env.int("SHOP_BASKET_ADD_RATE", default=60)

# Where the reverse proxies are: only requests from them may say, in X-Forwarded-For, who the client is
# (shop/http/clients.py; how many proxies: ALLAUTH_TRUSTED_PROXY_COUNT). Production has no default: it must be
# stated, empty for none. Throttles group IPv6 clients by ALLAUTH_RATE_LIMIT_IPV6_PREFIX (allauth's, 64).
SHOP_TRUSTED_PROXIES = env.list("SHOP_TRUSTED_PROXIES", default=["127.0.0.1/32", "::1/128"])

# --- Content-Security-Policy (django-csp; shop/accounts/content_policy.py) --------------------------
# The storefront runs no script but the shop's own files and the inline scripts its templates mark with the
# request's nonce; no plugin, no <base>, no framing, and forms post only to the shop and to Mollie's hosted
# payment page (shop.accounts.content_policy adds that host, and the Mollie simulator's in dev and tests, from the
# settings:
# Chrome applies form-action to the redirect that follows "Place order and pay"). Style attributes stay
# allowed (Oscar's templates use them); <style> elements need the nonce. CSP_REPORT_ONLY=true sends the same
# policies as Content-Security-Policy-Report-Only, to try a change on a live shop without breaking it.
SHOP_CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
# Video blocks (cms/blocks.py, cms/product_blocks.py) embed YouTube and Vimeo players.
SHOP_CSP_VIDEO_FRAMES = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
# Oscar's inline event handlers that only go back or print (forms' "cancel", the thank-you page's "Print"),
# allowed by their exact text and nothing else ('unsafe-hashes').
SHOP_CSP_ALLOWED_HANDLERS = [
    "'sha256-NqaPugiVKFsqU2P8L2sjJSLsiSKaQB+C9S5V0ZiRxfc='",  # window.history.go(-1);return false
    "'sha256-gZHW0ZTdDBnW8n/Qf9lGuwm2LvPkTQwflpfLAabDyMQ='",  # history.go(-1);return false
    "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",  # window.print()
]
SHOP_CSP_STOREFRONT = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "script-src-attr": [UNSAFE_HASHES, *SHOP_CSP_ALLOWED_HANDLERS],
    "style-src": [SELF, NONCE],
    "style-src-attr": [UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": SHOP_CSP_VIDEO_FRAMES,
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
# Wagtail's editor (/cms/), Oscar's dashboard and Django admin run inline scripts and styles of their own: still
# nothing from other hosts, no plugin, framed only by the shop itself (Wagtail's previews).
SHOP_CSP_STAFF = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF, *SHOP_CSP_VIDEO_FRAMES],
    "worker-src": [SELF, "blob:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
# django-csp's own setting holds the storefront's policy, enforced or report-only.
if SHOP_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": SHOP_CSP_STOREFRONT}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": SHOP_CSP_STOREFRONT}

# --- Security defaults (tightened further in production.py) ------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A form posted without its token that no other site sent asks to confirm (a 200 and a button); any other refusal
# says why with a 403. Cached pages' forms (no token without JavaScript) are taken from the shop's own pages without
# one (shop/pagecache/posts.py), so a browser sending Origin or Sec-Fetch-Site never sees either page for them.
CSRF_FAILURE_VIEW = "shop.pagecache.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"  # Wagtail's editor gets SAMEORIGIN (CmsSameOriginFramesMiddleware)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
