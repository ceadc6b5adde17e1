// Flashcard study by keyboard, mouse or touch: Space or Enter shows the answer, 1-4 rate,
// U or Ctrl+Z undoes; on a touch screen a tap on the card shows the answer and a swipe
// rates it (left Again, right Good).
//
// In the page: the answer of the card on screen and the card after it are fetched ahead
// (study_views.ahead), so Space and the next card need no request. A rating is the page's
// own form, sent in the background (Accept: application/json); the server answers with
// the card it gives next (the one painted, or another that then replaces it), the card
// after that, the progress bar and the undo button. It stays the authority: once-only
// ratings (the form's `seen`), daily limits and undo are the server's. Ratings wait in
// sessionStorage until the server has them: a failed send is retried and shown, and a
// rating left unsent when the page closed is sent when a study page opens again.
//
// Without JavaScript (or before the answer has arrived) the same buttons and links post
// and load pages as they always did.
"use strict";

(function () {
  const study = document.querySelector("[data-study]");
  if (!study) {
    return;
  }
  const announcer = document.getElementById("study-announce");
  const syncStatus = document.getElementById("study-sync");
  const aheadUrl = study.dataset.aheadUrl;
  const studyUrl = study.dataset.studyUrl;
  const storeKey = "quizdeck-unsent-ratings:" + studyUrl;
  const RETRY_MS = [1000, 2000, 4000, 8000, 15000];

  let busy = false; // a page is loading: one key press, one request
  let inPage = false; // the card on screen carries its answer (cards.js paints)
  let after; // the card after the one on screen: undefined unknown, null none, else {key, html}
  let waiting = false; // rated, and nothing painted yet: paint when the server answers
  let sending = false;
  let failures = 0;
  let undoWanted = false;
  let clockOffset = 0; // server clock minus this one (ms): a card's shown_at is the server's

  // -- ratings not yet saved --------------------------------------------------------

  function unsent() {
    try {
      return JSON.parse(sessionStorage.getItem(storeKey) || "[]");
    } catch (error) {
      return [];
    }
  }

  function keepUnsent(list) {
    try {
      if (list.length) {
        sessionStorage.setItem(storeKey, JSON.stringify(list));
      } else {
        sessionStorage.removeItem(storeKey);
      }
    } catch (error) {
      // Storage refused (private mode): the rating still waits in this page's memory.
    }
    memoryQueue = list;
  }
  let memoryQueue = unsent();

  function showSync(text, isError) {
    if (!syncStatus) {
      return;
    }
    syncStatus.hidden = !text;
    syncStatus.textContent = text;
    syncStatus.classList.toggle("flash-error", Boolean(isError));
    if (text) {
      announce(text);
    }
  }

  function announce(text) {
    if (announcer) {
      announcer.textContent = "";
      // A new text node each time: the same words twice are read twice.
      window.setTimeout(function () {
        announcer.textContent = text;
      }, 30);
    }
  }

  function setReady() {
    const ready = inPage && !sending && memoryQueue.length === 0 && after !== undefined;
    study.dataset.inPage = ready ? "ready" : "busy";
  }

  function pump() {
    if (sending || memoryQueue.length === 0) {
      setReady();
      return;
    }
    sending = true;
    setReady();
    const item = memoryQueue[0];
    fetch(item.url, {
      method: "POST",
      body: new URLSearchParams(item.body),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.redirected || response.status === 429 || response.status >= 500) {
          throw new Error("not saved");
        }
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (answer) {
        sending = false;
        failures = 0;
        const rest = memoryQueue.slice(1);
        keepUnsent(rest);
        if (answer.status >= 400) {
          // Not a form the server can count (an expired page): say so; the next card
          // comes from a fresh page.
          showSync("A rating could not be saved: " + (answer.data.message || "please rate again."), true);
          if (!rest.length) {
            window.setTimeout(function () { reload(); }, 1500);
          }
          return;
        }
        showSync("", false);
        if (answer.data.message) {
          announce(answer.data.message);
        }
        received(answer.data, item, rest);
        pump();
      })
      .catch(function () {
        sending = false;
        failures += 1;
        const count = memoryQueue.length;
        showSync(count + (count === 1 ? " rating" : " ratings") + " not saved — retrying", true);
        window.setTimeout(pump, RETRY_MS[Math.min(failures, RETRY_MS.length) - 1]);
        setReady();
      });
  }

  function reload() {
    busy = true;
    window.location.assign(studyUrl);
  }

  // The server's answer to one rating: what comes next, by its reckoning.
  function received(data, item, rest) {
    replaceOuter(".study-head", data.head_html);
    replaceOuter(".study-tools", data.tools_html);
    if (!inPage) {
      // Ratings left from an earlier page: now saved, show the server's next card.
      if (!rest.length) {
        reload();
      }
      return;
    }
    if (rest.length) {
      // The learner rated the card painted next already: use the server's follow-up only
      // if that card is the one the server would give.
      if (data.next === rest[0].rated) {
        after = parsed(data.after);
        if (waiting) {
          paintNext();
        }
      }
      return;
    }
    if (data.reload || data.next === null) {
      reload(); // a typed answer or the end of today's cards: the server's page
      return;
    }
    const current = study.querySelector(".flashcard");
    if (waiting || !current || current.dataset.key !== data.next) {
      // Nothing painted yet, or the card fetched ahead is not the server's next: its card.
      paint({ key: data.next, html: data.next_html });
    }
    after = parsed(data.after);
    if (undoWanted) {
      undoWanted = false;
      press(document.getElementById("undo"));
    }
    setReady();
  }

  function replaceOuter(selector, html) {
    const old = study.querySelector(selector);
    if (old && html) {
      const template = document.createElement("template");
      template.innerHTML = html.trim();
      old.replaceWith(template.content);
    }
  }

  // -- painting cards ----------------------------------------------------------------

  // What need not hold up the frame a key asked for (moving focus, announcing, sending
  // the rating) runs once the browser is idle after painting it: within 50 ms at most.
  function whenIdle(work) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(work, { timeout: 50 });
    } else {
      window.setTimeout(work, 0);
    }
  }

  // A card from the server, parsed when it arrives rather than when a key asks for it.
  function parsed(card) {
    if (!card) {
      return card;
    }
    const template = document.createElement("template");
    template.innerHTML = card.html.trim();
    const article = template.content.querySelector(".flashcard");
    // Rendered just now by the server (shown-at: its clock): the two clocks' difference.
    return { key: card.key, article: article, offset: Number(article.dataset.shownAt) - Date.now() };
  }

  function paint(card) {
    waiting = false;
    const ready = card.article ? card : parsed(card);
    const article = ready.article;
    clockOffset = ready.offset;
    article.dataset.key = card.key;
    article.dataset.paintedAt = String(Date.now() + clockOffset);
    study.querySelector(".flashcard").replaceWith(article);
    whenIdle(function () {
      if (!article.isConnected) {
        return; // already followed by another card
      }
      const front = article.querySelector(".card-front");
      announce("Next card. " + (front ? front.textContent.trim() : ""));
      const show = article.querySelector("#show-answer");
      if (show) {
        show.focus();
      }
    });
  }

  function paintNext() {
    if (after) {
      const card = after;
      after = undefined; // its follower comes with the server's answer to this rating
      paint(card);
      return;
    }
    waiting = true; // painted when the server says what comes next
    const current = study.querySelector(".flashcard");
    if (current) {
      current.classList.add("is-waiting");
      current.setAttribute("aria-busy", "true");
    }
    announce("Saving your rating…");
  }

  function flip() {
    const article = study.querySelector(".flashcard");
    const answer = article && article.querySelector("template[data-answer]");
    if (!answer || waiting) {
      return false;
    }
    answer.replaceWith(answer.content.cloneNode(true));
    article.querySelectorAll("[data-question-only]").forEach(function (element) {
      element.hidden = true;
    });
    const heading = document.getElementById("card-heading");
    if (heading) {
      heading.textContent = "Answer";
    }
    const back = document.getElementById("card-back");
    if (back) {
      whenIdle(function () {
        if (back.isConnected) {
          back.focus();
          announce("Answer: " + back.textContent.trim());
        }
      });
    }
    return true;
  }

  function rate(rating) {
    const article = study.querySelector(".flashcard");
    const form = article && article.querySelector(".rating-form"); // none before Space
    if (!form || waiting) {
      return;
    }
    const body = new URLSearchParams(new FormData(form));
    body.set("rating", rating);
    if (article.dataset.paintedAt) {
      body.set("shown_at", article.dataset.paintedAt); // on the server's clock
    }
    body.set("painted", after ? after.key : "");
    const list = memoryQueue.concat([{ url: form.action, body: body.toString(), rated: article.dataset.key }]);
    keepUnsent(list);
    paintNext();
    setReady(); // busy until the rating is saved
    whenIdle(pump); // the next card is painted first
  }

  // -- starting in the page -----------------------------------------------------------

  function start() {
    const article = study.querySelector(".flashcard");
    const ratingForm = article && article.querySelector(".rating-form");
    const showLink = document.getElementById("show-answer");
    const typedCheck = article && article.querySelector(".typed-form, .typed-result");
    if (!aheadUrl || !article || typedCheck || !(ratingForm || showLink)) {
      return;
    }
    const url = aheadUrl + "?card=" + encodeURIComponent(article.dataset.card);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok && !response.redirected ? response.json() : null;
      })
      .then(function (data) {
        if (!data || !data.in_page || busy) {
          return;
        }
        const shownAt = article.dataset.shownAt;
        const key = data.card.key;
        if (showLink) {
          // The question as the server showed it, now with its answer hidden inside.
          const template = document.createElement("template");
          template.innerHTML = data.card.html.trim();
          const fresh = template.content.querySelector(".flashcard");
          fresh.dataset.paintedAt = shownAt;
          fresh.dataset.key = key;
          const hadFocus = document.activeElement === showLink;
          article.replaceWith(fresh);
          if (hadFocus) {
            document.getElementById("show-answer").focus();
          }
        } else {
          article.dataset.key = key;
        }
        after = parsed(data.after);
        inPage = true;
        setReady();
      })
      .catch(function () {
        // No answer ahead: the links and forms work as without JavaScript.
      });
  }

  // -- keys, clicks and touches ---------------------------------------------------------

  function inField(target) {
    return target instanceof Element && target.closest("input, textarea, select, [contenteditable]");
  }

  function press(element, event) {
    if (!element || busy) {
      return;
    }
    if (event) {
      event.preventDefault();
    }
    busy = true;
    element.click();
  }

  function undo(event) {
    if (event) {
      event.preventDefault();
    }
    if (sending || memoryQueue.length || waiting) {
      undoWanted = true; // the undo button is the server's once the rating is saved
      return;
    }
    press(document.getElementById("undo"));
  }

  function showAnswer(event) {
    if (inPage) {
      event.preventDefault();
      flip();
    } else {
      press(document.getElementById("show-answer"), event);
    }
  }

  function rateKey(rating, event) {
    if (inPage) {
      event.preventDefault();
      rate(rating);
    } else {
      press(study.querySelector('button[data-rating="' + rating + '"]'), event);
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.metaKey || event.repeat) {
      return;
    }
    const typing = inField(event.target);
    if (event.ctrlKey) {
      if (!typing && (event.key === "z" || event.key === "Z")) {
        undo(event);
      }
      return;
    }
    if (typing) {
      return;
    }
    const onControl = event.target instanceof Element && event.target.closest("button, a");
    if (event.key === " " || event.key === "Spacebar" || (event.key === "Enter" && !onControl)) {
      showAnswer(event);
    } else if (["1", "2", "3", "4"].includes(event.key)) {
      rateKey(event.key, event);
    } else if (event.key === "u" || event.key === "U") {
      undo(event);
    }
  });

  study.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target || !inPage) {
      return;
    }
    if (target.closest("#show-answer")) {
      event.preventDefault();
      flip();
      return;
    }
    const button = target.closest(".rating-form button[data-rating]");
    if (button) {
      event.preventDefault();
      rate(button.dataset.rating);
    }
  });

  study.addEventListener("submit", function (event) {
    if (inPage && event.target.matches(".rating-form")) {
      event.preventDefault(); // Enter in the form: its rating is sent in the background
      return;
    }
    if (event.target.querySelector("#undo") && (sending || memoryQueue.length || waiting)) {
      event.preventDefault();
      undoWanted = true;
      return;
    }
    busy = true; // forms submitted by mouse count as busy too
  });

  // Touch: a tap on the card shows the answer; on the answer, a swipe rates it (left
  // Again, right Good), as Anki's apps do. Buttons and links keep their own taps.
  let touchStart = null;
  study.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" || !inPage || !event.target.closest(".flashcard")) {
      touchStart = null;
      return;
    }
    touchStart = { x: event.clientX, y: event.clientY };
  });
  study.addEventListener("pointerup", function (event) {
    if (!touchStart) {
      return;
    }
    const dx = event.clientX - touchStart.x;
    const dy = event.clientY - touchStart.y;
    touchStart = null;
    if (event.target.closest("a, button, input, summary")) {
      return;
    }
    const answerShown = study.querySelector(".flashcard .rating-form");
    if (Math.abs(dx) < 10 && Math.abs(dy) < 10) {
      flip();
    } else if (answerShown && Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) {
      rate(dx < 0 ? "1" : "3");
    }
  });

  // Back from the browser's cache (history): accept keys again.
  window.addEventListener("pageshow", function () {
    busy = false;
  });

  // Tells tests (and nothing else) that the keys now work.
  study.dataset.keysReady = "true";

  // On the answer side, move focus to the answer so screen readers read it out,
  // unless a suggested rating already took focus.
  const back = document.getElementById("card-back");
  if (back && !document.querySelector("[autofocus]")) {
    back.focus();
  }

  if (memoryQueue.length) {
    // Ratings this tab had not saved when its last study page closed: send them first,
    // then show the card the server gives.
    showSync(memoryQueue.length + (memoryQueue.length === 1 ? " rating" : " ratings") + " not saved — sending", true);
    pump();
  } else {
    start();
  }
})();
