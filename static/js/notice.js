// The conclusion notice's Print button: the browser's print dialog, A4 from notice.css.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
