// Quiz pages: autosave, keyboard shortcuts, countdown. Everything also works without this file:
// every button posts the form, and the server keeps the time.
"use strict";

(() => {
  const form = document.getElementById("answer-form");
  // The status line is part of what quiz_nav.js swaps: looked up each time.
  const statusLine = () => document.getElementById("save-status");
  const announcer = document.getElementById("quiz-announce");

  const say = (element, text) => {
    if (element) element.textContent = text;
  };

  // Set by autosave: sends what the form holds now (the countdown uses it at time up).
  let saveNow = null;

  // What quiz_nav.js (moving between questions in the page) uses from here.
  const quizPage = {
    say,
    afterPaint: () => afterPaint(),
    focusAnswer: () => focusAnswer(),
    countWords: (root) => countWords(root),
  };
  window.QuizPage = quizPage;
  const FORM_REFUSED = { refused: true };

  const afterPaint = () =>
    new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

  // The status line after a save, as the server put it.
  const saveMessage = (result) =>
    ({
      saved: result.message || `Answer saved at ${result.saved_at}.`,
      cleared: "Answer cleared: this question counts as not answered.",
    })[result.status] ||
    result.message ||
    "";

  // -- autosave: every change is posted to the same URL as the form ----------------------
  if (form && form.hasAttribute("data-autosave")) {
    let timer = null;

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

    // The answer on screen as the last accepted save of it sent it: equal to the form's
    // when what is on screen is saved (quiz_nav.js then shows the next question without
    // waiting). An answer the server kept unsaved (data-unsaved) starts unsaved.
    const fields = () =>
      new URLSearchParams(
        Array.from(new FormData(form)).filter(([name]) => name !== "csrf_token" && name !== "go")
      ).toString();
    const fresh = () => (form.hasAttribute("data-unsaved") ? null : fields());
    let savedFields = fresh();
    const snapshot = () => ({ body: new FormData(form), action: form.action, fields: fields() });

    // One save at a time, in order; an autosave still waiting to start covers later changes
    // too (it reads the form when it starts). `go` moves on with the save (quiz_nav.js);
    // `now` reads the form at once (the next question may be on screen when it is sent),
    // `quiet` leaves the status line to the question now on screen.
    let queue = Promise.resolve(null);
    let autosaveWaiting = false;
    const save = (go, { now = false, quiet = false } = {}) => {
      clearTimeout(timer);
      const early = now ? snapshot() : null;
      if (!go && autosaveWaiting) return queue;
      if (!go) autosaveWaiting = true;
      // A move's save starts after the next question is painted: starting a request takes
      // the page a few milliseconds (measured: 3-4 ms in headless Chromium).
      const ready = now ? afterPaint() : null;
      queue = queue.then(async () => {
        if (!go) autosaveWaiting = false;
        if (ready) await ready;
        return send(go, early || snapshot(), quiet);
      });
      return queue;
    };

    // The server's answer (JSON), or null: not saved, and the status line says why. A
    // network or server failure is tried again twice before that; the answer stays in the
    // form either way. A refused request (an expired form: 400) is FORM_REFUSED, so that a
    // move can post the whole form instead and the server can say what to do.
    const RETRY_MS = [500, 1500];
    const send = async (go, sent, quiet) => {
      const tell = (text) => {
        if (!quiet) say(statusLine(), text);
      };
      tell("Saving…");
      if (go) sent.body.set("go", go);
      for (let attempt = 0; ; attempt += 1) {
        let response = null;
        try {
          response = await fetch(sent.action, {
            method: "POST",
            body: sent.body,
            headers: { "X-Requested-With": "fetch", Accept: "application/json" },
            credentials: "same-origin",
          });
        } catch (error) {
          response = null; // offline or the connection dropped: try again
        }
        if (response && response.status === 401) {
          // Signed out meanwhile (here or on another device): nothing was saved.
          say(statusLine(), (await response.json()).message);
          return null;
        }
        if (response && response.status >= 400 && response.status < 500) {
          tell("Could not save just now. Use the buttons below to save.");
          return FORM_REFUSED;
        }
        if (response && response.ok) return shown(await response.json(), sent, quiet);
        if (attempt >= RETRY_MS.length) break;
        tell("Could not save just now: trying again…");
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[attempt]));
      }
      tell("Could not save just now. Use the buttons below to save.");
      return null;
    };

    const shown = (result, sent, quiet) => {
      if (result.status === "submitted" || result.status === "closed") {
        window.location.reload(); // the server shows why and where to go
        return null;
      }
      if (sent.action === form.action) {
        const accepted = result.status === "saved" || result.status === "cleared";
        savedFields = accepted ? sent.fields : null;
      }
      if (result.answered) markAnswered(result.answered, result.marks);
      if (!quiet) say(statusLine(), saveMessage(result));
      return result;
    };

    saveNow = () => save();
    Object.assign(quizPage, {
      save,
      markAnswered,
      saveMessage,
      FORM_REFUSED,
      isSaved: () => fields() === savedFields,
      // A question swapped in shows its stored answer: saved as it is.
      shownAfresh: () => {
        savedFields = fresh();
      },
    });

    form.addEventListener("change", (event) => {
      if (event.target.matches("input, select, textarea")) {
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
  const countWords = (root) =>
    root.querySelectorAll("textarea.essay-answer").forEach((box) => {
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
  countWords(document);

  // A question opens with its answer field focused: no Tabs to reach it.
  const focusAnswer = () => {
    const field = form.querySelector(
      ".quiz-item input:not([type=hidden]):not([disabled]), .quiz-item select:not([disabled]), " +
        ".quiz-item textarea:not([disabled])"
    );
    if (field) field.focus({ preventScroll: true });
  };

  // After "Check answer" the page comes back at #feedback: read the verdict out first.
  // Otherwise the answer itself has the focus, as a question loads.
  const feedback = document.getElementById("feedback");
  if (feedback && window.location.hash === "#feedback") {
    feedback.focus();
  } else if (form) {
    focusAnswer();
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
