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

  // Keyboard (issue #18): j/k move between the cards, a digit chooses that level (the change
  // saves as a click would), x don't know, c confirms a carried-over answer, e opens the notes,
  // / finds a question by its words or key; links and buttons carrying data-shortcut answer
  // their key (the filters, next and previous category, review and submit). The page lists
  // them all. Keys typed into a field are the field's.
  var cards = function () {
    return Array.prototype.filter.call(document.querySelectorAll("article.question"), function (card) {
      return !card.hidden;
    });
  };
  var current = null;

  function focusCard(card) {
    if (!card) return;
    current = card;
    card.setAttribute("tabindex", "-1");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "center" });
  }

  function currentCard() {
    var active = document.activeElement;
    var card = active && active.closest ? active.closest("article.question") : null;
    return card || (current && !current.hidden ? current : null);
  }

  function step(offset) {
    var list = cards();
    var index = list.indexOf(currentCard());
    var next = index === -1 ? (offset > 0 ? 0 : list.length - 1) : index + offset;
    if (next >= 0 && next < list.length) focusCard(list[next]);
  }

  // A card resting on a carried-over answer offers "Confirm it still holds" in its status.
  function confirmButton(card) {
    return card.querySelector(".answer-status button[name='question']");
  }

  function choose(card, value) {
    var radio = card.querySelector('input[type="radio"][name="choice"][value="' + value + '"]');
    if (!radio || radio.disabled) return false;
    // The level already chosen, carried over: choosing it again says it still holds.
    var confirm = confirmButton(card);
    if (radio.checked && confirm) {
      confirm.click();
      return true;
    }
    radio.checked = true;
    radio.focus({ preventScroll: true });
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  var finder = document.getElementById("find-question");
  function findCards(words) {
    var query = words.trim().toLowerCase();
    document.querySelectorAll("article.question").forEach(function (card) {
      var text = (card.id.replace("question-", "") + " " +
        card.querySelector(".question-text").textContent).toLowerCase();
      card.hidden = query !== "" && text.indexOf(query) === -1;
    });
  }
  if (finder) {
    finder.addEventListener("input", function () { findCards(finder.value); });
    finder.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        focusCard(cards()[0]);
      } else if (event.key === "Escape") {
        finder.value = "";
        findCards("");
        finder.blur();
      }
    });
  }

  function typing(target) {
    return target && (target.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "radio");
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var key = event.key;
    var card = currentCard();
    var handled = true;
    if (key === "j") step(1);
    else if (key === "k") step(-1);
    else if (key === "/" && finder) { finder.focus(); finder.select(); }
    else if (key === "?") {
      var list = document.getElementById("shortcuts");
      if (list) list.open = !list.open;
    }
    else if (/^[0-9]$/.test(key) && card) handled = choose(card, key);
    else if (key === "x" && card) handled = choose(card, "dont_know");
    else if (key === "c" && card) {
      var confirm = confirmButton(card);
      if (confirm) confirm.click(); else handled = false;
    }
    else if (key === "e" && card) {
      var notes = card.querySelector("details.evidence");
      notes.open = true;
      notes.querySelector("textarea").focus();
    }
    else {
      var target = /^[a-zA-Z]$/.test(key) &&
        document.querySelector('[data-shortcut="' + key + '"]');
      if (target) target.click(); else handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
