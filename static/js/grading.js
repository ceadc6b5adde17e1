// The grading queue's keys: Ctrl+Enter (or Cmd+Enter) saves and opens the next answer from
// anywhere on the page; J and K move to the next and previous answer when the focus is not
// in a text field. Every key has a real button or link beside it (templates/classes/queue.html).
(function () {
  "use strict";
  var form = document.getElementById("grading-form");
  if (!form) return;
  function typing(element) {
    if (!element) return false;
    var tag = element.tagName;
    if (tag === "TEXTAREA" || element.isContentEditable) return true;
    return tag === "INPUT" && !/^(radio|checkbox|button|submit)$/i.test(element.type);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      var save = document.getElementById("save-next");
      if (form.requestSubmit) form.requestSubmit(save); else save.click();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(document.activeElement)) return;
    var target = { j: "skip", k: "previous" }[event.key.toLowerCase()];
    var link = target && document.getElementById(target);
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
