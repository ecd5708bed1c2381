// Address forms (templates/shop/address/form_fields.html): when the shopper changes the country, the fields of
// the new country replace the old ones in place, with what was typed kept. The server renders them, as it does
// for the "Update the form for this country" button that works without JavaScript (hidden here). Focus stays on
// the country; a status line tells screen readers that the fields changed.
(function () {
  "use strict";

  for (const form of document.querySelectorAll("form[data-address-form]")) {
    const button = form.querySelector("[data-address-update]");
    const country = form.querySelector("[data-address-country] select");
    const status = form.querySelector("[data-address-status]");
    if (!button || !country) continue;
    button.hidden = true;

    let latest = 0; // only the answer to the newest change is used
    country.addEventListener("change", async () => {
      const ticket = ++latest;
      const body = new FormData(form);
      body.set(button.name, button.value);
      let page;
      try {
        const response = await fetch(form.getAttribute("action") || window.location.href, {
          method: "POST",
          body,
          credentials: "same-origin",
        });
        if (!response.ok || response.redirected) throw new Error(`HTTP ${response.status}`);
        page = new DOMParser().parseFromString(await response.text(), "text/html");
      } catch (error) {
        form.requestSubmit(button); // the same answer as a whole page
        return;
      }
      if (ticket !== latest) return;
      const selector = form.id ? `#${CSS.escape(form.id)}` : "form[data-address-form]";
      const fresh = page.querySelector(selector);
      const kept = form.querySelector("[data-address-country]");
      const freshKept = fresh && fresh.querySelector("[data-address-country]");
      if (!freshKept || kept.parentNode !== form || freshKept.parentNode !== fresh) return form.requestSubmit(button);
      // Everything around the country (names, the new fields, phone, no error left) comes from the answer; the
      // country's own group stays in the page, so the select keeps focus.
      const before = [];
      const after = [];
      let past = false;
      for (const node of Array.from(fresh.childNodes)) {
        if (node === freshKept) past = true;
        else (past ? after : before).push(node);
      }
      for (const node of Array.from(form.childNodes)) if (node !== kept) node.remove();
      kept.before(...before);
      kept.after(...after);
      const freshStatus = fresh.querySelector("[data-address-status]");
      if (status && freshStatus) status.textContent = freshStatus.textContent;
    });
  }

  const summary = document.getElementById("address-error-summary");
  if (summary) summary.focus();
})();
