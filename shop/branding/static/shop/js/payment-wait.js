// The "waiting for your payment" page asks the shop again every few seconds (the same URL, which asks Mollie) and
// reloads once the answer is no longer "waiting": a redirect to the confirmation, or another state.
(function () {
  "use strict";
  const state = document.getElementById("payment-state");
  if (!state || state.dataset.state !== "waiting") return;
  const INTERVAL_MS = 3000;
  async function check() {
    try {
      const response = await fetch(window.location.href, { redirect: "manual", credentials: "same-origin" });
      if (response.type === "opaqueredirect" || !(await response.text()).includes('data-state="waiting"')) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // offline for a moment: try again at the next tick
    }
    window.setTimeout(check, INTERVAL_MS);
  }
  window.setTimeout(check, INTERVAL_MS);
})();
