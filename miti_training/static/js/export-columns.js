// Progressive enhancement of the export page: "Select all" and "Clear all" buttons for the
// column checkboxes. Without JavaScript each box is ticked by hand; the labels come from the
// page (data-select-all, data-select-none), so they are in the reader's language.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("fieldset[data-select-all]").forEach((fieldset) => {
    const actions = document.createElement("div");
    actions.className = "export-column-actions";
    for (const [text, checked] of [
      [fieldset.dataset.selectAll, true],
      [fieldset.dataset.selectNone, false],
    ]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button-secondary button-small";
      button.textContent = text;
      button.addEventListener("click", () => {
        fieldset.querySelectorAll("input[type=checkbox]").forEach((box) => {
          box.checked = checked;
        });
      });
      actions.append(button);
    }
    const list = fieldset.querySelector("ul");
    if (list) list.after(actions);
  });
});
