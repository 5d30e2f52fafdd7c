// Print buttons of the print-ready pages: hidden without JavaScript (the page then says to
// use the browser's Print command), shown and wired here.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
});
