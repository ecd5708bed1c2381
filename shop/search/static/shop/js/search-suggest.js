// The search box suggests products as the shopper types (GET /shop/search/autocomplete/?q=…).
(function () {
  "use strict";
  const input = document.querySelector("input[data-suggest-url]");
  if (!input) return;

  const list = document.createElement("div");
  list.id = "search-suggestions";
  list.className = "dropdown-menu";
  list.setAttribute("role", "listbox");
  input.form.style.position = "relative";
  input.after(list);
  input.setAttribute("autocomplete", "off");
  input.setAttribute("aria-controls", list.id);

  let timer;
  let latest = 0; // only the answer to the newest keystroke is shown

  const hide = () => list.classList.remove("show");

  async function suggest() {
    const text = input.value.trim();
    const ticket = ++latest;
    if (text.length < 2) return hide();
    const response = await fetch(`${input.dataset.suggestUrl}?q=${encodeURIComponent(text)}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok || ticket !== latest) return;
    const { results } = await response.json();
    list.replaceChildren(
      ...results.map(({ title, url }) => {
        const link = document.createElement("a");
        link.className = "dropdown-item";
        link.href = url;
        link.textContent = title;
        link.setAttribute("role", "option");
        return link;
      }),
    );
    list.classList.toggle("show", results.length > 0);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", (event) => event.key === "Escape" && hide());
  document.addEventListener("click", (event) => event.target !== input && !list.contains(event.target) && hide());
})();
