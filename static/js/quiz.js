// Quiz pages: autosave, keyboard shortcuts, countdown. Everything also works without this file:
// every button posts the form, and the server keeps the time.
"use strict";

(() => {
  const form = document.getElementById("answer-form");
  const status = document.getElementById("save-status");
  const announcer = document.getElementById("quiz-announce");

  const say = (element, text) => {
    if (element) element.textContent = text;
  };

  // Set by autosave: sends what the form holds now (the countdown uses it at time up).
  let saveNow = null;

  // -- autosave: every change is posted to the same URL as the form ----------------------
  if (form && form.hasAttribute("data-autosave")) {
    let timer = null;
    let inFlight = false;
    let again = false;

    const markAnswered = (answered) => {
      const done = new Set(answered);
      say(document.getElementById("answered-count"), String(done.size));
      form.querySelectorAll(".jump-button").forEach((button) => {
        const isDone = done.has(Number(button.value));
        button.classList.toggle("answered", isDone);
        say(button.querySelector(".jump-mark"), isDone ? "✓" : "·");
        say(button.querySelector(".jump-state"), isDone ? ", answered" : ", not answered");
      });
    };

    const save = async () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      say(status, "Saving…");
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { "X-Requested-With": "fetch", Accept: "application/json" },
          credentials: "same-origin",
        });
        if (response.status === 401) {
          // Signed out meanwhile (here or on another device): nothing was saved.
          say(status, (await response.json()).message);
          return;
        }
        if (!response.ok) throw new Error(String(response.status));
        const result = await response.json();
        if (result.status === "submitted" || result.status === "closed") {
          window.location.reload(); // the server shows why and where to go
          return;
        }
        if (result.answered) markAnswered(result.answered);
        const time = result.saved_at;
        const messages = {
          saved: result.message || `Answer saved at ${time}.`,
          cleared: "Answer cleared: this question counts as not answered.",
          incomplete: result.message,
          locked: result.message,
        };
        say(status, messages[result.status] || result.message || "");
      } catch (error) {
        say(status, "Could not save just now. Use the buttons below to save.");
      } finally {
        inFlight = false;
        if (again) {
          again = false;
          save();
        }
      }
    };

    saveNow = () => {
      clearTimeout(timer);
      return save();
    };

    form.addEventListener("change", (event) => {
      if (event.target.matches("input, select, textarea")) {
        clearTimeout(timer);
        save();
      }
    });
    form.addEventListener("input", (event) => {
      if (event.target.matches("input[type=text], textarea")) {
        clearTimeout(timer);
        timer = setTimeout(save, 800);
      }
    });
  }

  // After "Check answer" the page comes back at #feedback: read the verdict out first.
  const feedback = document.getElementById("feedback");
  if (feedback && window.location.hash === "#feedback") feedback.focus();

  // -- keyboard: 1-9 pick an option, Enter confirms, arrows move between questions --------
  if (form) {
    const submitWith = (selector, event) => {
      const button = form.querySelector(selector);
      if (!button) return;
      event.preventDefault();
      form.requestSubmit(button);
    };

    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      // Keys keep their usual meaning where the student is typing or choosing from a list;
      // Enter in a closed list does nothing there, so it confirms as elsewhere.
      if (target.closest && target.closest("input[type=text], textarea")) return;
      if (target.closest && target.closest("select") && event.key !== "Enter") return;

      if (/^[1-9]$/.test(event.key)) {
        const options = form.querySelectorAll(
          "input[name=answer][type=radio], input[name=answer][type=checkbox]"
        );
        const option = options[Number(event.key) - 1];
        if (!option || option.disabled) return;
        event.preventDefault();
        option.checked = option.type === "radio" ? true : !option.checked;
        option.focus();
        option.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (event.key === "Enter") {
        if (target.closest("button, a, summary")) return;
        submitWith("[data-default]", event);
      } else if (event.key === "ArrowLeft") {
        submitWith("[data-nav=prev]", event);
      } else if (event.key === "ArrowRight") {
        submitWith("[data-nav=next]", event);
      }
    });
  }

  // -- countdown: shows the server's deadline; the server decides what is late ------------
  const countdown = document.getElementById("countdown");
  if (countdown) {
    const secondsLeft = Number(countdown.dataset.secondsLeft);
    const closes = countdown.dataset.policy === "close";
    const value = countdown.querySelector(".countdown-value");
    const started = Date.now();
    const format = (total) => {
      const hours = Math.floor(total / 3600);
      const minutes = Math.floor((total % 3600) / 60);
      const seconds = String(total % 60).padStart(2, "0");
      return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
    };
    const expire = () => {
      countdown.classList.add("expired");
      countdown.textContent = closes
        ? "Time is up. The quiz is closing; your saved answers will be graded."
        : "Time is up. You can still finish; the attempt will be marked late.";
      say(announcer, countdown.textContent);
      if (closes) {
        // What was typed but not yet sent goes now, within the server's grace period. The
        // form is made inert, not disabled: disabled fields would post as an empty answer.
        if (saveNow) saveNow();
        if (form) {
          form.inert = true;
          form.classList.add("closed");
        }
        // The server closes the attempt once its grace period is over; then show the result.
        setTimeout(() => window.location.assign(countdown.dataset.resumeUrl), 11000);
      }
    };
    const tick = () => {
      const elapsed = Math.floor((Date.now() - started) / 1000);
      const remaining = Math.max(0, secondsLeft - elapsed);
      if (value) value.textContent = format(remaining);
      if (remaining === 60) say(announcer, "One minute left.");
      if (remaining === 0) {
        expire();
        return;
      }
      setTimeout(tick, 1000 - ((Date.now() - started) % 1000) + 5);
    };
    if (secondsLeft > 0) tick();
  }
})();
