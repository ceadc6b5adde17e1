// Quiz navigation in the page: Next, Previous, the question list and Back/Forward save the
// answer (quiz.js's autosave POST, with the button's `go`: the server records the move and
// names where it leads) and swap that question in without a page load. The next question is
// fetched ahead; Next shows it at once when the answer on screen is already saved, else after
// the save (the server may refuse the answer: the student then stays, told why). The server
// decides by a page load wherever it must: the review page (last question, "Review and
// submit"), a refused form, a submitted or closed quiz, as without JavaScript.
// Immediate-feedback quizzes do not load this file.
"use strict";

(() => {
  const form = document.getElementById("answer-form");
  const page = window.QuizPage;
  if (!form || !page || !page.save || !window.fetch || !window.DOMParser) return;
  const announcer = document.getElementById("quiz-announce");

  // An item's page as a document, or null when it is not a question to swap in (the
  // server redirected to the result, an error page, a question moving needs a load for).
  // X-Quiz-Ahead: fetching it is no visit (the save that moves there records one).
  const fetchPart = (url) =>
    fetch(url, {
      headers: { "X-Quiz-Ahead": "1", Accept: "text/html" },
      credentials: "same-origin",
    })
      .then(async (response) => {
        if (!response.ok || response.redirected) return null;
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        return doc.querySelector("#answer-form[data-in-page]") ? doc : null;
      })
      .catch(() => null);

  // Only the next question is fetched ahead: it is what Next shows. Before it is answered
  // its page holds no key and no feedback (the same page a load would show).
  let ahead = { url: "", doc: Promise.resolve(null) };
  // data-ahead="ready" once it has arrived (the benchmark waits for it, as a reader would).
  const fetchAhead = () => {
    const url = form.dataset.nextUrl;
    if (!url) return;
    form.dataset.ahead = "waiting";
    const doc = fetchPart(url);
    ahead = { url: new URL(url, window.location.href).href, doc };
    doc.then((arrived) => {
      if (ahead.doc !== doc) return;
      ahead.ready = arrived;
      form.dataset.ahead = "ready";
    });
  };
  const part = (url) => {
    const absolute = new URL(url, window.location.href).href;
    const doc = ahead.url === absolute ? ahead.doc : fetchPart(url);
    ahead = { url: "", doc: Promise.resolve(null) };
    return doc;
  };

  const show = (doc, result) => {
    const fresh = doc.getElementById("answer-form");
    form.action = fresh.getAttribute("action");
    const swapped = ["data-autosave", "data-unsaved", "data-in-page", "data-position"];
    swapped.push("data-next-url", "data-ahead");
    swapped.forEach((name) => {
      if (fresh.hasAttribute(name)) form.setAttribute(name, fresh.getAttribute(name));
      else form.removeAttribute(name);
    });
    // The marks as the last save left them: the page fetched ahead may be older.
    const marks = Array.from(form.querySelectorAll(".jump-button"), (b) => b.cloneNode(true));
    const answeredCount = document.getElementById("answered-count");
    const answered = answeredCount ? answeredCount.textContent : null;
    form.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
    // The bar's "Question n of m" and progress; the countdown keeps running as it is.
    const label = document.getElementById("quiz-progress-label");
    const freshLabel = doc.getElementById("quiz-progress-label");
    if (label && freshLabel) label.innerHTML = freshLabel.innerHTML;
    const progress = document.querySelector(".quiz-progress");
    const freshProgress = doc.querySelector(".quiz-progress");
    if (progress && freshProgress) progress.value = freshProgress.value;
    document.title = doc.title;
    form.querySelectorAll(".jump-button").forEach((button, index) => {
      const kept = marks[index];
      if (!kept || kept.value !== button.value) return;
      button.className = kept.className;
      button.replaceChildren(...kept.childNodes);
    });
    if (answered !== null) page.say(document.getElementById("answered-count"), answered);
    page.shownAfresh();
    if (result) {
      page.markAnswered(result.answered, result.marks);
      // As the page load says it: a warning, or the time of the save; moving past a blank
      // question (a "cleared" save) says nothing.
      const said = result.message || (result.status === "saved" ? page.saveMessage(result) : "");
      page.say(document.getElementById("save-status"), said);
    }
    page.countWords(form);
    page.focusAnswer();
    const heading = form.querySelector("#question-heading");
    page.say(announcer, heading ? heading.textContent.replace(/\s+/g, " ").trim() : doc.title);
    // After the paint: starting a request costs the page a few milliseconds.
    page.afterPaint().then(fetchAhead);
  };

  // Posts the form as without JavaScript, with the button pressed: the server decides.
  let passThrough = false;
  const postWhole = (button) => {
    passThrough = true;
    form.requestSubmit(button);
  };

  let moving = false;
  // Saves the answer and moves to what `go` names; true when the question was swapped in.
  const move = async (go, button) => {
    if (moving) return false;
    // Next, with the answer on screen saved as it is and the next question here: shown at
    // once; the save that records the move (and its answer again) goes behind it, read
    // from the form before the swap.
    if (go === "next" && button && ahead.ready && page.isSaved()) {
      const { url, ready } = ahead;
      page.save(go, { now: true, quiet: true });
      ahead = { url: "", doc: Promise.resolve(null) };
      const position = Number(ready.getElementById("answer-form").dataset.position);
      history.pushState({ quizPosition: position }, "", url);
      show(ready, null);
      return true;
    }
    moving = true;
    try {
      const result = await page.save(go);
      if (result === page.FORM_REFUSED) {
        if (button) postWhole(button);
        else window.location.reload();
        return false;
      }
      // Not saved (the status line says why; the answer is still in the form), or saved
      // with a word that keeps the student here (an unfinished order).
      if (!result || (result.status !== "saved" && result.status !== "cleared")) return false;
      if (!result.go_to) return false;
      const doc = await part(result.go_to);
      if (!doc) {
        window.location.assign(result.go_to); // the server shows what is there now
        return false;
      }
      const position = Number(doc.getElementById("answer-form").dataset.position);
      // A new history entry for a new question; the question on screen again (its own
      // number in the list) replaces its entry, as a page load of the same address does.
      const address = new URL(result.go_to, window.location.href).href;
      if (button && address !== window.location.href) {
        history.pushState({ quizPosition: position }, "", address);
      } else if (button) {
        history.replaceState({ quizPosition: position }, "", address);
      }
      show(doc, result);
      return true;
    } finally {
      moving = false;
    }
  };

  form.addEventListener("submit", (event) => {
    if (passThrough) {
      passThrough = false;
      return;
    }
    const button = event.submitter;
    if (!button || button.name !== "go" || !form.hasAttribute("data-in-page")) return;
    // The review page, and Next on the last question: a page load, as without JavaScript.
    if (button.value === "review" || (button.value === "next" && !form.dataset.nextUrl)) return;
    event.preventDefault();
    move(button.value, button);
  });

  // Back and Forward: the answer here is saved and the question of that address shown.
  history.replaceState({ quizPosition: Number(form.dataset.position) }, "", window.location.href);
  window.addEventListener("popstate", async (event) => {
    const position = event.state && event.state.quizPosition;
    if (!position || !form.hasAttribute("data-in-page")) {
      window.location.reload();
      return;
    }
    const shownBefore = form.dataset.position;
    if (!(await move(String(position), null))) {
      // Not moved: the address goes back to the question still on screen.
      const here = form.action;
      history.pushState({ quizPosition: Number(shownBefore) }, "", here);
    }
  });

  fetchAhead();
})();
