// Site-wide behaviour. Pages add their own files; nothing is inline (the CSP forbids it).
"use strict";

(() => {
  // A form sent back with mistakes: take the keyboard to the first field in error, whose
  // message it names (aria-describedby), unless the page has placed the focus itself.
  // A group in error (a fieldset of boxes to tick) takes the keyboard to its first box.
  const firstError = document.querySelector(
    '[aria-invalid="true"], .has-error input:not([type="hidden"])'
  );
  const placed = document.activeElement && document.activeElement !== document.body;
  if (firstError && !placed && !document.getElementById("error-summary")) firstError.focus();

  // After an action that reloads the page (save, move, delete, publish...), the keyboard
  // was left at the top of the page and a screen reader said nothing of what happened:
  // the focus goes to where the page points (#item-3 after saving item 3), else to the
  // message the action left. Not when the page places the focus itself (an autofocus
  // field, which the browser focuses after this script, and only if nothing else is).
  const unplaced = !document.activeElement || document.activeElement === document.body;
  if (!firstError && unplaced && !document.querySelector("[autofocus]")) {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = (id && document.getElementById(id)) || document.querySelector(".flashes");
    if (target) {
      if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) {
        target.tabIndex = -1;
      }
      target.focus({ preventScroll: Boolean(id) });
    }
  }

  // Enter in a closed list sends its form, as Enter in a text field does: browsers do
  // nothing there, so a keyboard user had to go on to the button. It presses the form's
  // first submit button, as the browser's own Enter would. A form that names its own
  // default button (the quiz's, [data-default]) handles Enter itself in quiz.js.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const select = event.target instanceof Element ? event.target.closest("select") : null;
    const form = select && !select.multiple ? select.form : null;
    if (!form || form.querySelector("[data-default]")) return;
    const button = form.querySelector(
      "button[type=submit], button:not([type]), input[type=submit]"
    );
    if (!button || button.disabled) return;
    event.preventDefault();
    form.requestSubmit(button);
  });

  // A table wider than the screen scrolls in its own box: the box takes the keyboard (the
  // arrow keys scroll it) and is named after its table, as WCAG's scrollable regions ask.
  document.querySelectorAll(".table-wrap").forEach((box) => {
    if (box.scrollWidth <= box.clientWidth) return;
    const caption = box.querySelector("caption");
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    // Seen, not only felt: a table cut at the screen's edge gave no sign that it scrolls.
    const hint = document.createElement("p");
    hint.className = "hint scroll-hint";
    hint.textContent = "Wider than the screen: scroll the table sideways to see all of it.";
    box.before(hint);
    box.classList.add("scrolls");
  });

  // The device's time zone where a page asks for it: sign-up stores it, so times show in
  // the person's own zone from the first page; the account page offers it in one press.
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  document.querySelectorAll("input[data-browser-timezone]").forEach((input) => {
    input.value = zone;
  });
  document.querySelectorAll("button[data-use-browser-timezone]").forEach((button) => {
    const select = document.getElementById(button.dataset.useBrowserTimezone);
    if (!zone || !select || select.value === zone) return;
    if (![...select.options].some((option) => option.value === zone)) return;
    button.textContent = `Use this device's time zone (${zone})`;
    button.hidden = false;
    button.addEventListener("click", () => {
      select.value = zone;
      select.focus();
    });
  });
})();
