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

// Enter in a search box inside a form runs that search (its data-enter-clicks button)
// rather than the form's default submit (save).
document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== "Enter" || !(input instanceof HTMLInputElement)) return;
  const id = input.dataset.enterClicks;
  const button = id && document.getElementById(id);
  if (!button) return;
  event.preventDefault();
  button.click();
});

// After htmx swaps a search's results in, keep the cursor in its box.
document.addEventListener("htmx:afterSettle", (event) => {
  const box = event.detail.target && event.detail.target.querySelector("input[data-enter-clicks]");
  if (box) box.focus();
});

// A form shows the fields of the kind chosen only: rows marked data-for-kind="…" follow
// the select marked data-kind-select (the visit form's cluster fields).
document.querySelectorAll("select[data-kind-select]").forEach((select) => {
  const sync = () => {
    select.form.querySelectorAll("[data-for-kind]").forEach((row) => {
      row.hidden = row.dataset.forKind !== select.value;
    });
  };
  select.addEventListener("change", sync);
  sync();
});

// The visit form's chair follows the delegation chosen, unless the user typed their own.
(() => {
  const data = document.getElementById("delegation-chairs");
  const delegation = document.getElementById("id_delegation");
  const chair = document.getElementById("id_chair_role");
  if (!data || !delegation || !chair) return;
  const chairs = JSON.parse(data.textContent);
  let prefilled = chair.value;
  delegation.addEventListener("change", () => {
    const role = chairs[delegation.value];
    if (role && (chair.value.trim() === "" || chair.value === prefilled)) {
      chair.value = role;
      prefilled = role;
    }
  });
})();

// The editors' error summary: a link puts the cursor in its field, unfolding what holds it.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest(".error-summary a");
  const target = link && document.getElementById(link.hash.slice(1));
  if (!target) return;
  for (let fold = target.closest("details"); fold; fold = fold.parentElement.closest("details")) {
    fold.open = true;
  }
  event.preventDefault();
  target.focus();
  target.scrollIntoView({ block: "center" });
});

// The editors' "open all" and "fold all" buttons, for the field groups of every section.
document.querySelectorAll(".editor-folds").forEach((bar) => {
  bar.hidden = false;
  bar.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-fold]");
    if (!button) return;
    const open = button.dataset.fold === "open";
    document.querySelectorAll("details.editor-group").forEach((group) => {
      group.open = open;
    });
  });
});

// On a phone the menu scrolls sideways: bring the current page's entry into view, again
// once the counts have come in and widened the entries before it.
const showCurrentMenuEntry = () => {
  const current = document.querySelector(".topnav [aria-current='page']");
  const menu = current && current.closest(".topnav");
  if (menu && menu.scrollWidth > menu.clientWidth) {
    menu.scrollLeft = current.offsetLeft - (menu.clientWidth - current.offsetWidth) / 2;
  }
};
showCurrentMenuEntry();
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.target && event.detail.target.closest(".topnav")) showCurrentMenuEntry();
});
