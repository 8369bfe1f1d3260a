// Questionnaire: autosave and its feedback, panels that load when opened. The cards are written
// for a browser without JavaScript, each URL once (the form's action, the panels' links); this
// turns them into htmx elements before htmx reads the page, so 48 cards carry no repeated
// attributes. A failed save keeps the choice on screen and offers a retry.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function set(element, attributes) {
    Object.keys(attributes).forEach(function (name) {
      element.setAttribute(name, attributes[name]);
    });
  }

  // Every change saves; typing in the notes saves a moment after the last key. The form posts,
  // never the textarea, so every save sends the whole answer.
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    set(form, {
      "hx-post": form.getAttribute("action"),
      "hx-trigger": "change, submit, keyup changed delay:1500ms from:find textarea",
      "hx-target": "find .answer-status",
      "hx-swap": "outerHTML",
      "hx-sync": "this:queue last",
    });
  });
  document.querySelectorAll("details[data-load]").forEach(function (panel) {
    set(panel, {
      "hx-get": panel.querySelector("a").getAttribute("href"),
      "hx-trigger": "toggle once",
      "hx-target": "find div",
    });
  });
  if (window.htmx) {
    // htmx reads the page once the document is parsed; should it have done so already, it
    // reads these elements again now.
    document.querySelectorAll("form[data-autosave], details[data-load]").forEach(htmx.process);
  }

  // Django's JavaScript catalog (jsi18n, loaded before this file) translates these messages.
  var MESSAGES = {
    0: gettext("Not saved: the server could not be reached. Your choice is still on screen."),
    403: gettext("Not saved: this assessment is read-only, or you may not answer it."),
    404: gettext("Not saved: this question is not part of this assessment."),
    409: gettext("Not saved: someone submitted the assessment meanwhile."),
  };

  function statusFor(form) {
    return form.querySelector(".answer-status");
  }

  function showError(form, status) {
    var box = statusFor(form);
    if (!box) return;
    var message = MESSAGES[status] ||
      interpolate(gettext("Not saved: the server had a problem (%s)."), [status]);
    box.classList.add("is-error");
    box.textContent = "";
    var line = document.createElement("p");
    line.className = "status-line";
    line.setAttribute("role", "alert");
    line.textContent = message + " ";
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link-button retry";
    retry.textContent = gettext("Retry");
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
  // A save that leaves a level asking for a link opens "Notes and evidence", where the link goes;
  // a page loaded with the prompt has the details open already.
  document.body.addEventListener("htmx:oobAfterSwap", function (event) {
    var prompt = event.detail.target;
    if (prompt && prompt.classList.contains("evidence-prompt") && prompt.firstElementChild) {
      prompt.closest("details").open = true;
    }
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    var form = answerForm(event);
    if (form) showError(form, 0);
  });
})();
