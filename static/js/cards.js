// Flashcard study by keyboard: Space shows the answer, 1-4 rate, U or Ctrl+Z undoes.
// Every key only clicks a real button or link on the page, so the page works without it.
"use strict";

(function () {
  const study = document.querySelector("[data-study]");
  if (!study) {
    return;
  }
  let busy = false; // one key press, one request: no double ratings while the page loads

  function inField(target) {
    return target instanceof Element && target.closest("input, textarea, select, [contenteditable]");
  }

  function press(element, event) {
    if (!element || busy) {
      return;
    }
    event.preventDefault();
    busy = true;
    element.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.metaKey || event.repeat) {
      return;
    }
    const typing = inField(event.target);
    if (event.ctrlKey) {
      if (!typing && (event.key === "z" || event.key === "Z")) {
        press(document.getElementById("undo"), event);
      }
      return;
    }
    if (typing) {
      return;
    }
    if (event.key === " " || event.key === "Spacebar") {
      press(document.getElementById("show-answer"), event);
    } else if (["1", "2", "3", "4"].includes(event.key)) {
      press(study.querySelector('button[data-rating="' + event.key + '"]'), event);
    } else if (event.key === "u" || event.key === "U") {
      press(document.getElementById("undo"), event);
    }
  });

  // Forms submitted by mouse count as busy too.
  study.addEventListener("submit", function () {
    busy = true;
  });
  // Back from the browser's cache (history): accept keys again.
  window.addEventListener("pageshow", function () {
    busy = false;
  });

  // On the answer side, move focus to the answer so screen readers read it out,
  // unless a suggested rating already took focus.
  // Tells tests (and nothing else) that the keys now work.
  study.dataset.keysReady = "true";

  const back = document.getElementById("card-back");
  if (back && !document.querySelector("[autofocus]")) {
    back.focus();
  }
})();
