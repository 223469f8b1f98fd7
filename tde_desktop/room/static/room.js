// Phone pages, improved: answers are sent in the background and retried until the laptop
// says "saved" (the same response id each time, so the answer is stored once), and the
// page follows the exercise the facilitator opens. Everything works without this file.
"use strict";
(function () {
  var body = document.body;
  var dirty = false;

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function send(form, submitter) {
    var data = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var status = form.querySelector(".status");
    var error = form.querySelector(".error");
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    status.textContent = body.dataset.sending;
    var wait = 1000;
    function attempt() {
      return fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "tde-room" }
      }).then(function (response) {
        return response.json().then(function (answer) {
          if (response.ok && answer.next) {
            status.textContent = body.dataset.saved;
            dirty = false;
            window.location.assign(answer.next);
            return;
          }
          if (response.status >= 500 || response.status === 429) { throw new Error("retry"); }
          buttons.forEach(function (b) { b.disabled = false; });
          status.textContent = "";
          error.textContent = answer.error || "";
          error.hidden = false;
          error.focus();
        });
      }).catch(function () {
        status.textContent = body.dataset.retrying;
        return sleep(wait).then(function () { wait = Math.min(wait * 2, 8000); return attempt(); });
      });
    }
    attempt();
  }

  document.querySelectorAll("form.answer").forEach(function (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.URLSearchParams) { return; }
      event.preventDefault();
      send(form, event.submitter);
    });
  });

  if (body.dataset.live === "1" && window.fetch) {
    var shown = body.dataset.exercise || "";
    setInterval(function () {
      fetch("/state.json", { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (state) {
          if ((state.exercise || "") !== shown && !dirty) { window.location.assign("/q"); }
        })
        .catch(function () { /* offline for a moment: the next poll tries again */ });
    }, 3000);
  }
})();
