// Teacher pages. Everything here also works without JavaScript (the buttons submit the
// form and the server re-renders); with it, lists change in place and focus stays put.
"use strict";

(function () {
  const status = document.getElementById("list-status");

  function announce(message) {
    if (status) {
      status.textContent = "";
      window.setTimeout(() => { status.textContent = message; }, 50);
    }
  }

  // Give every entry of a list its position again: names and ids "options-3-text",
  // label targets, button values "remove:options:3" and the visible numbers.
  function renumber(list) {
    const name = list.dataset.list;
    const pattern = new RegExp("^" + name + "-\\d+(?=-|$)");
    const entries = entriesOf(list);
    entries.forEach((entry, index) => {
      const prefix = name + "-" + index;
      entry.querySelectorAll("[name], [id], label[for], [aria-describedby]").forEach((el) => {
        ["name", "id", "for"].forEach((attr) => {
          const value = el.getAttribute(attr);
          if (value && pattern.test(value)) el.setAttribute(attr, value.replace(pattern, prefix));
        });
        const described = el.getAttribute("aria-describedby");
        if (described) {
          el.setAttribute("aria-describedby", described.split(" ")
            .map((id) => id.replace(pattern, prefix)).join(" "));
        }
      });
      entry.querySelectorAll(".entry-number").forEach((span) => { span.textContent = index + 1; });
      const remove = entry.querySelector(".remove-entry");
      if (remove) remove.value = "remove:" + name + ":" + index;
      entry.querySelectorAll(".move-entry").forEach((button) => {
        const direction = button.dataset.direction;
        button.value = "move:" + name + ":" + index + ":" + direction;
        button.hidden = direction === "up" ? index === 0 : index === entries.length - 1;
      });
      nameMoves(list, entry, index);
    });
  }

  // As quizzes/teach/item_forms/base.py entry_title: "Move “Tae Yong-ho defects” up", the text cut
  // at a word end within 60 characters; an empty entry goes by its number.
  const TITLE_CHARS = 60;

  function nameMoves(list, entry, index) {
    const what = entryTitle(list, entry, index);
    entry.querySelectorAll(".move-entry").forEach((button) => {
      button.setAttribute("aria-label", "Move " + what + " " + button.dataset.direction);
    });
  }

  function entryTitle(list, entry, index) {
    const input = firstInput(entry);
    let title = input ? input.value.split(/\s+/).filter(Boolean).join(" ") : "";
    if (title.length > TITLE_CHARS) {
      const cut = title.slice(0, TITLE_CHARS);
      title = (cut.includes(" ") ? cut.slice(0, cut.lastIndexOf(" ")) : cut) + "\u2026";
    }
    return title ? "\u201c" + title + "\u201d" : list.dataset.noun + " " + (index + 1);
  }

  function entriesOf(list) {
    return Array.from(list.querySelectorAll(":scope > .entries > .entry"));
  }

  function firstInput(entry) {
    return entry.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea, select");
  }

  function addEntry(list) {
    const entries = list.querySelectorAll(":scope > .entries > .entry");
    if (entries.length === 0) return false; // nothing to copy: let the server add one
    const fresh = entries[entries.length - 1].cloneNode(true);
    fresh.querySelectorAll(".field-error").forEach((el) => el.remove());
    fresh.querySelectorAll(".has-error").forEach((el) => el.classList.remove("has-error"));
    fresh.querySelectorAll("input, textarea").forEach((el) => {
      if (el.type === "checkbox" || el.type === "radio") el.checked = false;
      else el.value = el.dataset.blank || "";
      el.removeAttribute("autofocus");
      el.setAttribute("aria-invalid", "false");
      const described = (el.getAttribute("aria-describedby") || "").split(" ")
        .filter((id) => id && !id.endsWith("-error"));
      if (described.length) el.setAttribute("aria-describedby", described.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    list.querySelector(":scope > .entries").appendChild(fresh);
    renumber(list);
    const input = firstInput(fresh);
    if (input) input.focus();
    announce("Added " + list.dataset.noun + " " + (entries.length + 1) + ".");
    return true;
  }

  function removeEntry(list, entry) {
    const entries = Array.from(list.querySelectorAll(":scope > .entries > .entry"));
    const index = entries.indexOf(entry);
    entry.remove();
    renumber(list);
    const rest = list.querySelectorAll(":scope > .entries > .entry");
    const next = rest[Math.min(index, rest.length - 1)];
    const target = next ? firstInput(next) : list.querySelector(".add-entry");
    if (target) target.focus();
    announce("Removed " + list.dataset.noun + " " + (index + 1) + ".");
  }

  // Swap an entry with its neighbour. The neighbour is the node that moves, so the pressed
  // button never leaves the page and keeps the focus; at the top or bottom, where that
  // button hides, the focus goes to the entry's other one.
  function moveEntry(list, button) {
    const entry = button.closest(".entry");
    const up = button.dataset.direction === "up";
    const neighbour = up ? entry.previousElementSibling : entry.nextElementSibling;
    if (!neighbour) return;
    entry.parentNode.insertBefore(neighbour, up ? entry.nextElementSibling : entry);
    renumber(list);
    const entries = entriesOf(list);
    const index = entries.indexOf(entry);
    if (button.hidden) {
      const other = entry.querySelector(".move-entry[data-direction=" + (up ? "down" : "up") + "]");
      if (other) other.focus();
    }
    const what = entryTitle(list, entry, index);
    announce("Moved " + what + ": now " + list.dataset.noun + " " + (index + 1) + " of " +
      entries.length + ".");
  }

  // Move buttons name their entry by its text: keep the names current while typing.
  document.addEventListener("input", (event) => {
    const list = event.target.closest("[data-movable]");
    const entry = event.target.closest(".entry");
    if (list && entry) nameMoves(list, entry, entriesOf(list).indexOf(entry));
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[name=action]");
    if (!button) return;
    const list = button.closest("[data-list]");
    if (!list) return;
    if (button.classList.contains("add-entry")) {
      if (addEntry(list)) event.preventDefault();
    } else if (button.classList.contains("move-entry")) {
      event.preventDefault();
      moveEntry(list, button);
    } else if (button.classList.contains("remove-entry")) {
      event.preventDefault();
      removeEntry(list, button.closest(".entry"));
    }
  });

  // Destructive buttons ask first.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // "Tick all" on the bank page.
  document.querySelectorAll("[data-check-all]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const boxes = document.querySelectorAll("input[type=checkbox][name=" + button.dataset.checkAll + "]");
      const tick = Array.from(boxes).some((box) => !box.checked);
      boxes.forEach((box) => { box.checked = tick; });
      button.textContent = tick ? "Untick all" : "Tick all";
    });
  });

  // Say a file is too large before uploading it.
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      const limit = Number(input.dataset.maxBytes);
      const message = document.getElementById(input.id + "-size");
      if (!message) return;
      if (file && file.size > limit) {
        message.textContent = "Error: " + file.name + " is larger than " +
          Math.round(limit / 1048576) + " MB. Split it into smaller files.";
        message.hidden = false;
        input.setAttribute("aria-invalid", "true");
      } else {
        message.hidden = true;
        input.setAttribute("aria-invalid", "false");
      }
    });
  });

  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
