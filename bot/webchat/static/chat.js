// Web chat without reloads: each reply is posted with fetch(), the new
// messages are appended to the aria-live log and focus stays on the reply
// box. Without this script every turn is an ordinary form post.
(function () {
  "use strict";
  var answer = document.getElementById("answer");
  var log = document.getElementById("log-items");
  if (!answer || !log || !window.fetch || !window.FormData) { return; }

  function setNonce(nonce) {
    document.querySelectorAll("input[name=nonce]").forEach(function (input) {
      input.value = nonce;
    });
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    return fetch(form.action || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      var body = result.body;
      if (body.nonce) { setNonce(body.nonce); }
      if (!result.ok || body.reload || body.lang !== document.documentElement.lang) {
        window.location.reload();
        return;
      }
      log.insertAdjacentHTML("beforeend", body.log);
      answer.innerHTML = body.answer;
      document.documentElement.dir = body.dir;
      var box = document.getElementById("reply");
      if (box) { box.focus(); }
    }).catch(function () {
      form.submit();
    });
  }

  answer.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("js-turn")) { return; }
    event.preventDefault();
    send(form, event.submitter);
  });
}());
