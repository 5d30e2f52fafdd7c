// Progressive enhancement: a "Copy" button beside a read-only field. Without JavaScript (or
// without the Clipboard API) the button stays hidden and the field can be selected and copied.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard || !window.isSecureContext) return;
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    const status = document.querySelector(
      `[data-copy-status="${CSS.escape(button.dataset.copy)}"]`
    );
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = button.dataset.copied;
      } catch {
        // Refused (permissions): select the text so that the keyboard shortcut copies it.
        field.focus();
        field.select();
      }
    });
  });
});
