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
})();
