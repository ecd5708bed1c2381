// A page cached whole is the same for every anonymous visitor. This fills in what belongs to this one, from
// GET /shop/visitor/ (never cached): the CSRF token of each form, the basket in the header, pending messages,
// the account link, recently viewed products and the way back to search results. Without JavaScript the
// page still browses, and its forms still post in one step: the shop takes them without a token when the browser
// says that they come from its own pages (shop/pagecache/posts.py).
(function () {
  "use strict";
  const script = document.currentScript;
  const url = new URL(script.dataset.visitorUrl, window.location.href);
  const product = document.querySelector('meta[name="visitor-product"]');
  const recent = document.querySelector("[data-visitor-recently-viewed]");
  if (product) url.searchParams.set("product", product.content);
  if (recent) url.searchParams.set("recently_viewed", "1");

  const html = (markup) => document.createRange().createContextualFragment(markup);
  const each = (selector, fill) => document.querySelectorAll(selector).forEach(fill);

  function fillTokens(token) {
    each('form input[name="csrfmiddlewaretoken"]', (input) => {
      if (!input.value) input.value = token;
    });
  }

  function fillBasket({ numItems, total, html: lines }) {
    each("[data-visitor-basket-total]", (element) => (element.textContent = total));
    each("[data-visitor-basket-count]", (element) => {
      element.textContent = numItems;
      element.hidden = numItems === 0;
    });
    each("[data-visitor-basket-lines]", (element) => element.replaceChildren(html(lines)));
  }

  function fillMessages(markup) {
    const current = document.getElementById("messages");
    const rendered = html(markup).getElementById("messages");
    if (current && rendered && rendered.children.length) current.replaceWith(rendered);
  }

  function fillAccount({ signedIn, name, accountUrl }) {
    const login = document.getElementById("login_link");
    if (!signedIn || !login) return;
    login.href = accountUrl;
    login.textContent = name;
  }

  function addBackLink() {
    const crumbs = document.querySelector("[data-visitor-back-from]");
    if (!crumbs || !document.referrer) return;
    const from = new URL(document.referrer);
    if (from.origin !== window.location.origin || !from.pathname.startsWith(crumbs.dataset.visitorBackFrom)) return;
    const item = document.createElement("li");
    const link = document.createElement("a");
    item.className = "ml-auto";
    link.href = from.href;
    link.textContent = crumbs.dataset.visitorBackLabel;
    item.append(link);
    crumbs.append(item);
  }

  // A form sent before its token arrived waits for it (once: if the endpoint fails, it goes without, as it would
  // without JavaScript).
  function holdSubmitsUntil(answer) {
    document.addEventListener("submit", (event) => {
      const form = event.target;
      const token = form.querySelector('input[name="csrfmiddlewaretoken"]');
      if (!token || token.value || form.dataset.visitorHeld) return;
      event.preventDefault();
      form.dataset.visitorHeld = "1";
      answer.then(() => form.requestSubmit(event.submitter));
    });
  }

  addBackLink();
  const answer = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`visitor: ${response.status}`))))
    .then((visitor) => {
      if (recent && visitor.recentlyViewed) recent.replaceChildren(html(visitor.recentlyViewed));
      fillTokens(visitor.csrfToken);
      fillBasket(visitor.basket);
      fillMessages(visitor.messages);
      fillAccount(visitor);
    })
    .catch((error) => console.warn(error));
  holdSubmitsUntil(answer);
})();
