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

  // Dot votes: large - and + buttons beside each number, and the dots left written out;
  // + stops when every dot is placed, so the page never reads "4 of 3".
  function dots(set) {
    var total = parseInt(set.dataset.total, 10) || 0;
    var inputs = Array.prototype.slice.call(set.querySelectorAll("input[type=number]"));
    var left = document.createElement("p");
    left.className = "left";
    left.setAttribute("aria-live", "polite");
    set.appendChild(left);
    function count(input) {
      var n = parseInt(input.value, 10);
      return isNaN(n) || n < 0 ? 0 : n;
    }
    function update() {
      var used = inputs.reduce(function (sum, input) { return sum + count(input); }, 0);
      var rest = Math.max(0, total - used);
      left.textContent = set.dataset.left.replace("{left}", rest).replace("{total}", total);
      inputs.forEach(function (input) {
        input.previousSibling.disabled = count(input) <= 0;
        input.nextSibling.disabled = rest <= 0 || count(input) >= parseInt(input.max, 10);
      });
    }
    function button(text, label, step, input) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = step > 0 ? "more" : "less";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.addEventListener("click", function () {
        input.value = String(Math.max(0, count(input) + step));
        dirty = true;
        update();
      });
      return b;
    }
    inputs.forEach(function (input) {
      if (input.value === "") { input.value = "0"; }  // a count, read as a count
      var row = document.createElement("div");
      row.className = "dotrow";
      input.parentNode.insertBefore(row, input);
      row.appendChild(button("\u2212", input.dataset.less, -1, input));
      row.appendChild(input);
      row.appendChild(button("+", input.dataset.more, 1, input));
    });
    set.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("fieldset.dots").forEach(dots);

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
