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

  // A table wider than the screen scrolls in its own box: the box takes the keyboard (the
  // arrow keys scroll it) and is named after its table, as WCAG's scrollable regions ask.
  document.querySelectorAll(".table-wrap").forEach((box) => {
    if (box.scrollWidth <= box.clientWidth) return;
    const caption = box.querySelector("caption");
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
  });
})();
