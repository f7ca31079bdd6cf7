// Sends the "这篇文章有帮助吗？" form without leaving the page. Without this file the form
// posts normally and the server redirects back to #feedback with a message.
(function () {
  "use strict";
  var form = document.querySelector("[data-feedback-form]");
  if (!form || !window.fetch || !window.FormData) return;
  var status = form.querySelector(".feedback-status");
  var buttons = form.querySelectorAll("button");

  function show(message, ok) {
    status.textContent = message;
    status.hidden = false;
    status.className = "feedback-status notice " + (ok ? "notice-success" : "notice-error");
  }

  form.addEventListener("submit", function (event) {
    var data = new FormData(form);
    var submitter = event.submitter;
    if (!submitter || !submitter.name) return; // old browser: let the form post normally
    data.append(submitter.name, submitter.value);
    event.preventDefault();
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" }
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        show(result.body.message, result.ok);
        if (result.ok) {
          form.querySelector("textarea").value = "";
        } else {
          buttons.forEach(function (b) { b.disabled = false; });
        }
      })
      .catch(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        show(form.getAttribute("data-error-message"), false);
      });
  });
})();
