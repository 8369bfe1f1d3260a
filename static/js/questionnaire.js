// Questionnaire: autosave feedback. A failed save keeps the choice on screen and offers a retry.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var MESSAGES = {
    0: "Not saved: the server could not be reached. Your choice is still on screen.",
    403: "Not saved: this assessment is read-only, or you may not answer it.",
    404: "Not saved: this question is not part of this assessment.",
    409: "Not saved: someone submitted the assessment meanwhile.",
  };

  function statusFor(form) {
    return form.querySelector(".answer-status");
  }

  function showError(form, status) {
    var box = statusFor(form);
    if (!box) return;
    var message = MESSAGES[status] || "Not saved: the server had a problem (" + status + ").";
    box.classList.add("is-error");
    box.textContent = "";
    var line = document.createElement("p");
    line.className = "status-line";
    line.setAttribute("role", "alert");
    line.textContent = message + " ";
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link-button retry";
    retry.textContent = "Retry";
    retry.addEventListener("click", function () {
      htmx.trigger(form, "change");
    });
    line.appendChild(retry);
    box.appendChild(line);
  }

  function answerForm(event) {
    var element = event.detail && event.detail.elt;
    return element && element.closest ? element.closest("form.answer-form") : null;
  }

  document.body.addEventListener("htmx:responseError", function (event) {
    var form = answerForm(event);
    // 400, 409 and 422 carry their own explanation, already swapped into place; the inputs keep
    // what the respondent chose and typed.
    var explained = [400, 409, 422].indexOf(event.detail.xhr.status) !== -1;
    if (form && !explained) showError(form, event.detail.xhr.status);
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    var form = answerForm(event);
    if (form) showError(form, 0);
  });
})();
