// Live sessions: the projector (#live-host) and the phone (#live-play) follow the round
// through server-sent events. The server decides everything; these pages only show it.
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  function text(el, value) { if (el) el.textContent = value; }
  function show(el, on) { if (el) el.hidden = !on; }
  function readJSON(el, name) { return JSON.parse(el.getAttribute(name)); }

  // A countdown from the server's "time left" (phones' clocks are not trusted).
  function Clock(onTick) {
    var timer = null, endsAt = 0;
    return {
      set: function (leftMs, running) {
        clearInterval(timer);
        endsAt = Date.now() + leftMs;
        var tick = function () {
          var left = Math.max(0, endsAt - Date.now());
          onTick(Math.ceil(left / 1000), left);
          if (left <= 0) clearInterval(timer);
        };
        tick();
        if (running) timer = setInterval(tick, 250);
      },
      stop: function () { clearInterval(timer); }
    };
  }

  function follow(url, handlers) {
    var source = new EventSource(url);
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (event) { handlers[name](JSON.parse(event.data)); });
    });
    return source;
  }

  function bar(b, players) {
    var share = players ? Math.round(100 * b.count / players) : 0;
    var li = document.createElement("li");
    li.className = "live-bar" + (b.right ? " right" : "");
    var label = document.createElement("span");
    label.className = "live-bar-label";
    label.textContent = (b.right ? "✓ " : "") + b.label + (b.right ? " (right)" : "");
    var track = document.createElement("span");
    track.className = "live-bar-track";
    track.setAttribute("aria-hidden", "true");
    var fill = document.createElement("span");
    fill.className = "live-bar-fill live-bar-w" + (Math.round(share / 5) * 5);
    track.appendChild(fill);
    var count = document.createElement("span");
    count.className = "live-bar-count";
    count.textContent = b.count + " (" + share + "%)";
    li.appendChild(label); li.appendChild(track); li.appendChild(count);
    return li;
  }

  function sources(list) {
    var box = document.createDocumentFragment();
    if (!list.length) return box;
    var h = document.createElement("h3");
    h.textContent = list.length > 1 ? "Sources" : "Source";
    box.appendChild(h);
    var ul = document.createElement("ul");
    list.forEach(function (s) {
      var li = document.createElement("li");
      if (s.url && /^https?:\/\//.test(s.url)) {
        var a = document.createElement("a");
        a.href = s.url; a.rel = "noopener noreferrer"; a.textContent = s.text;
        li.appendChild(a);
      } else { li.textContent = s.text; }
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }

  // -- the projector ---------------------------------------------------------------------
  function host(root) {
    var state = readJSON(root, "data-state");
    var controls = $("controls");
    var csrf = controls.querySelector("input[name=csrf_token]").value;
    var closing = false;
    var clock = Clock(function (seconds, left) {
      text($("time-left"), state.paused ? "Paused" : seconds + " s");
      if (left <= 0 && state.phase === "question" && !state.paused && !closing) {
        closing = true;  // time is up: show the answers (the server refuses late ones)
        send("close", true);
      }
    });

    // quiet: the automatic close at the end of the time; another tab of the projector may
    // have closed the question first, which is no news to the teacher.
    function send(action, quiet) {
      if (action === "end" || (action === "next" && state.question && state.question.number === state.total)) {
        // The end writes every signed-in student's attempt and memory: it takes a moment.
        text($("control-message"), "Ending the round: saving every student's answers…");
      }
      var body = new FormData();
      body.append("csrf_token", csrf);
      body.append("action", action);
      return fetch(controls.getAttribute("action"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrf }
      }).then(function (r) { return r.json(); }).then(function (reply) {
        text($("control-message"), reply.ok || quiet ? "" : reply.message);
      }).catch(function () {
        text($("control-message"), "Not sent: check the connection and try again.");
      });
    }

    controls.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter;
      if (button) send(button.value);
    });

    function players(list) {
      text($("player-count"), list.length);
      var ul = $("player-list");
      ul.textContent = "";
      list.forEach(function (p) {
        var li = document.createElement("li");
        li.dataset.player = p.id;
        var name = document.createElement("span");
        name.className = "player-name"; name.textContent = p.name;
        li.appendChild(name);
        if (!p.signed_in) {
          var badge = document.createElement("span");
          badge.className = "badge"; badge.textContent = "guest";
          li.appendChild(document.createTextNode(" ")); li.appendChild(badge);
        }
        li.appendChild(playerForm(root.dataset.rename, p, true));
        li.appendChild(playerForm(root.dataset.remove, p, false));
        ul.appendChild(li);
      });
    }

    function playerForm(template, p, rename) {
      var form = document.createElement("form");
      form.method = "post"; form.className = "inline-form";
      form.action = template.replace(/\/0\/(rename|remove)$/, "/" + p.id + "/$1");
      var token = document.createElement("input");
      token.type = "hidden"; token.name = "csrf_token"; token.value = csrf;
      form.appendChild(token);
      var button = document.createElement("button");
      button.type = "submit";
      if (rename) {
        var label = document.createElement("label");
        label.className = "visually-hidden"; label.htmlFor = "rename-" + p.id;
        label.textContent = "New name for " + p.name;
        var input = document.createElement("input");
        input.type = "text"; input.id = "rename-" + p.id; input.name = "nickname";
        input.maxLength = 20; input.className = "rename-input"; input.placeholder = "New name";
        form.appendChild(label); form.appendChild(input);
        button.className = "button small secondary"; button.textContent = "Rename";
      } else {
        button.className = "button small danger"; button.textContent = "Remove";
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden"; hidden.textContent = " " + p.name;
        button.appendChild(hidden);
      }
      form.appendChild(button);
      return form;
    }

    function render(next) {
      if (next.v < state.v) return;
      var moved = next.phase !== state.phase || (next.question || {}).number !== (state.question || {}).number;
      state = next;
      closing = false;
      var q = state.question, r = state.results;
      var status = {
        lobby: "Waiting for players. Start when everyone is in.",
        question: state.paused ? "Paused." : "",
        results: r && r.skipped ? "Skipped." : "",
        ended: "The session has ended."
      }[state.phase];
      text($("live-status"), status);
      show($("live-question"), !!q);
      if (q) {
        text($("question-number"), "Question " + q.number + " of " + state.total);
        text($("question-type"), q.type_label);
        if (moved) $("question-prompt").innerHTML = q.prompt_html;  // sanitised server-side
        text($("answered"), (state.answered || 0) + " of " + state.players.length + " answered");
      }
      show($("clock"), state.phase === "question");
      if (state.phase === "question") clock.set(state.time_left_ms, !state.paused); else clock.stop();
      show($("live-results"), !!r);
      if (r) {
        var chart = $("chart");
        chart.textContent = "";
        r.bars.forEach(function (b) { chart.appendChild(bar(b, r.players)); });
        text($("right-answer"), r.right_answer);
        $("explanation").innerHTML = r.explanation_html;  // sanitised server-side
        show($("explanation-box"), !!r.explanation_html);
        var box = $("sources"); box.textContent = ""; box.appendChild(sources(r.sources));
      }
      var board = state.leaderboard;
      show($("leaderboard"), !!(board && board.length));
      if (board) {
        var ol = $("leaderboard-list"); ol.textContent = "";
        board.forEach(function (row) {
          var li = document.createElement("li");
          li.textContent = row.rank + ". " + row.name + " · " + row.right + " right";
          ol.appendChild(li);
        });
      }
      controls.querySelectorAll("button[data-phases]").forEach(function (b) {
        var on = b.dataset.phases.split(" ").indexOf(state.phase) >= 0;
        if (b.hasAttribute("data-paused")) on = on && state.paused;
        if (b.hasAttribute("data-unpaused")) on = on && !state.paused;
        b.hidden = !on;
      });
      // After the last question "next" ends the round: the button says so.
      text($("next"), q && q.number === state.total ? "Finish the round" : "Next question");
      show($("ended"), state.phase === "ended");
      if (state.players) players(state.players);
    }

    render(state);
    follow(root.dataset.events, {
      state: render,
      answered: function (d) {
        if (state.question && d.number === state.question.number) {
          state.answered = d.answered;
          text($("answered"), d.answered + " of " + state.players.length + " answered");
        }
      },
      players: function (d) {
        state.players = d.players;
        players(d.players);
        if (state.question) text($("answered"), (state.answered || 0) + " of " + d.players.length + " answered");
      }
    });
  }

  // -- the phone -------------------------------------------------------------------------
  function play(root) {
    var state = readJSON(root, "data-state");
    var mine = readJSON(root, "data-mine");
    var form = $("answer-form");
    if (!form) return;  // removed from the session
    var shownNumber = null;
    var clock = Clock(function (seconds) {
      text($("time-left"), state.paused ? "Paused" : seconds + " seconds left");
    });

    function status(message) { text($("live-status"), message); }

    function showMine() {
      var box = $("my-result");
      if (!mine || mine.number === null || !state.question || mine.number !== state.question.number) {
        box.textContent = ""; return;
      }
      if (state.phase === "results") {
        if (!mine.answered) box.textContent = "You gave no answer. Right answer: " + state.results.right_answer;
        else if (mine.correct) box.textContent = "✓ Right! Your answer: " + mine.answer;
        else if (mine.score > 0) box.textContent = "◐ Partly right (" + Math.round(mine.score * 100) + "%). Your answer: " + mine.answer + ". Right answer: " + state.results.right_answer;
        else box.textContent = "✗ Not this time. Your answer: " + mine.answer + ". Right answer: " + state.results.right_answer;
      } else if (mine.answered) {
        box.textContent = "Answer sent: " + mine.answer + ". You can change it until the time is up.";
      } else { box.textContent = ""; }
    }

    function render(next) {
      if (next.v < state.v) return;
      state = next;
      var q = state.question;
      var open = state.phase === "question" && q;
      if (state.phase === "lobby") status("You're in! Wait for the teacher to start.");
      else if (state.phase === "ended") status("The session has ended. Thanks for playing!");
      else if (state.phase === "results") status(state.results && state.results.skipped ? "Question skipped." : "Time is up. Look at the screen.");
      else status(state.paused ? "Paused." : "");
      show(form, !!open);
      if (open && shownNumber !== q.number) {
        shownNumber = q.number;
        $("answer-number").value = q.number;
        text($("question-heading"), "Question " + q.number + " of " + state.total + " · " + q.type_label);
        $("question-prompt").innerHTML = q.prompt_html;  // sanitised server-side
        $("controls").innerHTML = q.controls_html;  // the quiz's item partial, no key
        if (!mine || mine.number !== q.number) mine = { number: q.number, answered: false };
      }
      if (open) clock.set(state.time_left_ms, !state.paused); else clock.stop();
      showMine();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var send = $("send");
      send.disabled = true;
      status("Sending…");
      fetch(form.getAttribute("action"), {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (r) { return r.json(); }).then(function (reply) {
        if (reply.ok) {
          mine = { number: reply.number, answered: true, answer: reply.answer };
          status("");
        } else { status(reply.message); }
        showMine();
      }).catch(function () {
        status("Not sent: check the connection and send again.");
      }).then(function () { send.disabled = false; });
    });

    render(state);
    var source = follow(root.dataset.events, {
      state: function (d) { render(d); if (d.phase === "ended") source.close(); },
      mine: function (d) { mine = d; showMine(); },
      player: function (d) { text($("my-name"), d.name); },
      removed: function () {
        source.close();
        show(form, false);
        $("my-result").textContent = "";
        status("The teacher removed you from this session.");
      }
    });
    source.addEventListener("error", function () {
      if (state.phase !== "ended" && source.readyState !== EventSource.CLOSED) status("Reconnecting…");
    });
  }

  var hostRoot = $("live-host"), playRoot = $("live-play");
  if (hostRoot) host(hostRoot);
  if (playRoot) play(playRoot);
})();
