// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // The language switcher is deliberately NOT submitted on "change": keyboard users move
  // through a closed <select> with the arrow keys, and each step would reload the page in
  // another language (WCAG 3.2.2 On Input). The "Change" button submits it.

  // Error summary links: focus the field itself, with its label scrolled into view.
  document.querySelectorAll(".form-error-summary a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!input) return;
      event.preventDefault();
      const label = document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
      (label || input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  });

  // A form that takes a while (an upload of photos) says it is on its way and takes one
  // click; the server also ignores a copy sent twice. Disabled after the submit event, so
  // the click still sends the form.
  document.querySelectorAll("form[data-busy]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      const status = form.querySelector("[data-busy-status]");
      if (status) status.textContent = form.dataset.busy;
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        setTimeout(() => { button.disabled = true; }, 0);
      });
    });
  });
  // A page shown again by the back button gets its buttons back.
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-busy] button[type=submit]").forEach((button) => {
      button.disabled = false;
    });
    document.querySelectorAll("form[data-busy] [data-busy-status]").forEach((status) => {
      status.textContent = "";
    });
  });

  // Ask before destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
