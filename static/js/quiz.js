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

    // The question list's marks, as quiz/pages.py JUMP_MARKS has them.
    const MARKS = {
      empty: ["·", "not answered"],
      answered: ["●", "answered"],
      number: ["!", "answered, not a number"],
      right: ["✓", "right"],
      partly: ["◐", "partly right"],
      wrong: ["✗", "wrong"],
    };
    const markAnswered = (answered, marks) => {
      const done = new Set(answered);
      say(document.getElementById("answered-count"), String(done.size));
      form.querySelectorAll(".jump-button").forEach((button) => {
        const sent = marks && marks[button.value];
        const mark = MARKS[sent] ? sent : done.has(Number(button.value)) ? "answered" : "empty";
        Object.keys(MARKS).forEach((key) => button.classList.toggle(`mark-${key}`, key === mark));
        button.classList.toggle("answered", mark !== "empty");
        say(button.querySelector(".jump-mark"), MARKS[mark][0]);
        say(button.querySelector(".jump-state"), `, ${MARKS[mark][1]}`);
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
        if (result.answered) markAnswered(result.answered, result.marks);
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

  // -- essays: a word count as the student types, counted as the server counts ----------
  document.querySelectorAll("textarea.essay-answer").forEach((box) => {
    const hint = document.getElementById(box.getAttribute("aria-describedby"));
    if (!hint) return;
    const number = hint.querySelector(".word-count-number");
    const over = hint.querySelector(".word-count-over");
    const limit = Number(box.dataset.wordLimit) || 0;
    box.addEventListener("input", () => {
      const words = (box.value.match(/\S+/g) || []).length;
      say(number, String(words));
      const text = limit && words > limit ? " Over the limit: shorten it before you submit." : "";
      if (over && over.textContent !== text) say(over, text); // said only when it changes
    });
  });

  // After "Check answer" the page comes back at #feedback: read the verdict out first.
  // Otherwise the answer itself has the focus, as a question loads: no Tabs to reach it.
  const feedback = document.getElementById("feedback");
  if (feedback && window.location.hash === "#feedback") {
    feedback.focus();
  } else if (form) {
    const field = form.querySelector(
      ".quiz-item input:not([type=hidden]):not([disabled]), .quiz-item select:not([disabled]), " +
        ".quiz-item textarea:not([disabled])"
    );
    if (field) field.focus({ preventScroll: true });
  }

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
      // Enter in a closed list does nothing there, so it confirms as elsewhere. In an empty
      // box (where a question now starts) and in a list, ← and → still change question.
      const sideways = event.key === "ArrowLeft" || event.key === "ArrowRight";
      const typing = target.closest && target.closest("input[type=text], textarea");
      if (typing && !(sideways && typing.value === "")) return;
      if (target.closest && target.closest("select") && event.key !== "Enter" && !sideways) return;

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
        // Then the quiz is sent, within the server's grace period, and the result shown: a
        // moment's pause first so that "Time is up" can be read (and said).
        const sent = saveNow ? saveNow() : Promise.resolve();
        sent.then(() => setTimeout(sendQuiz, 1500));
      }
    };
    // The quiz bar's own small form posts to "submit" with its CSRF token; without one (a
    // sample quiz) the server shows where things stand.
    const sendQuiz = () => {
      const timeUp = document.getElementById("time-up-form");
      if (timeUp) timeUp.submit();
      else window.location.assign(countdown.dataset.resumeUrl);
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
    else if (closes) expire(); // opened after the time was up: straight on to the result
  }
})();
