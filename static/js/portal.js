/* Small progressive enhancements; every page works without this file. */
"use strict";

// After htmx adds a blank row to an editor section, put the cursor in it.
document.addEventListener("htmx:afterSettle", (event) => {
  const id = event.detail.target && event.detail.target.id;
  const section = id && document.getElementById(id);
  if (!section || !id.startsWith("edit-")) return;
  const rows = section.querySelectorAll("fieldset.itemrow");
  const last = rows[rows.length - 1];
  const text = last && last.querySelector("textarea");
  if (text) text.focus();
});
