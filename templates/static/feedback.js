/* Page feedback: sends the form in place, keeps what was typed when sending fails.
   Without this script the form still works: the browser posts it and the receiver redirects
   to the thank-you page. No cookies, no storage, no requests but the one to the receiver. */
(function () {
  "use strict";

  var form = document.querySelector("[data-feedback-form]");
  var textsElement = document.getElementById("feedback-texts");
  if (!form || !textsElement || !window.fetch || !window.JSON) {
    return;
  }
  var texts = JSON.parse(textsElement.textContent);
  var loadedAt = Date.now();
  var TIMEOUT_MS = 15000;
  var comment = form.querySelector("textarea[name=comment]");
  var email = form.querySelector("input[name=email]");
  var counter = document.getElementById("feedback-counter");
  var alertBox = form.querySelector("[data-feedback-alert]");
  var sending = form.querySelector("[data-feedback-sending]");
  var button = form.querySelector("button[type=submit]");
  var thanks = document.querySelector("[data-feedback-thanks]");
  var limit = parseInt(comment.getAttribute("maxlength"), 10);
  var busy = false;
  var personalDataAccepted = false;

  // Our own messages replace the browser's validation bubbles, which some people miss.
  form.setAttribute("novalidate", "");

  var PATTERNS = [
    /\b(?:19|20)?\d{6}[-+ ]?\d{4}\b/,            // personnummer
    /[^\s@]+@[^\s@]+\.[a-z]{2,}/i,                // e-mail address
    /(?:\+46|\b0)[\d\s-]{6,14}\d\b/               // phone number
  ];

  function updateCounter() {
    counter.textContent = texts.counter
      .replace("{used}", String(comment.value.length))
      .replace("{limit}", String(limit));
  }

  function personalDataFound(text) {
    var found = [];
    var withoutNumbers = text.replace(PATTERNS[0], "");
    if (PATTERNS[0].test(text)) { found.push(texts.personal_data_found[0]); }
    if (PATTERNS[1].test(text)) { found.push(texts.personal_data_found[1]); }
    if (PATTERNS[2].test(withoutNumbers)) { found.push(texts.personal_data_found[2]); }
    return found;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function showAlert(heading, lines, actions) {
    alertBox.textContent = "";
    var title = element("h3", "feedback-alert-heading", heading);
    title.setAttribute("tabindex", "-1");
    alertBox.appendChild(title);
    lines.forEach(function (line) { alertBox.appendChild(element("p", "", line)); });
    (actions || []).forEach(function (action) {
      var actionButton = element("button", "button button-secondary", action.label);
      actionButton.type = "button";
      actionButton.addEventListener("click", action.run);
      alertBox.appendChild(actionButton);
    });
    alertBox.hidden = false;
    alertBox.setAttribute("role", "alert");
    title.focus();
  }

  function clearAlert() {
    alertBox.hidden = true;
    alertBox.removeAttribute("role");
    alertBox.textContent = "";
  }

  function answered() {
    return form.querySelector("input[name=helpful]:checked") ||
      form.querySelector("input[name=rating]:checked") ||
      comment.value.trim() !== "";
  }

  function payload() {
    var data = { elapsed_ms: Date.now() - loadedAt };
    new FormData(form).forEach(function (value, name) {
      if (value === "" && name !== "website") { return; }
      data[name] = name === "rating" ? parseInt(value, 10) : value;
    });
    delete data.return_url;
    return data;
  }

  function setBusy(state) {
    busy = state;
    sending.textContent = state ? texts.sending : "";
    button.setAttribute("aria-disabled", state ? "true" : "false");
  }

  function showThanks() {
    form.hidden = true;
    thanks.textContent = "";
    var heading = element("h3", "feedback-thanks-heading", texts.thanks);
    heading.setAttribute("tabindex", "-1");
    thanks.appendChild(heading);
    thanks.appendChild(element("p", "", texts.thanks_more));
    heading.focus();
  }

  function failed(reason) {
    setBusy(false);
    showAlert(texts.error_heading, [reason, texts.error_kept]);
  }

  function rejectedReason(response) {
    return response.json().then(function (body) {
      var details = (body && body.errors || []).map(function (e) { return e.field + ": " + e.message; });
      return [texts.error_rejected].concat(details).join(" ");
    }, function () {
      return texts.error_server.replace("{status}", String(response.status));
    });
  }

  function send() {
    setBusy(true);
    clearAlert();
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, TIMEOUT_MS);
    fetch(form.action, {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(payload()),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      if (response.ok) {
        setBusy(false);
        showThanks();
      } else if (response.status >= 400 && response.status < 500) {
        rejectedReason(response).then(failed);
      } else {
        failed(texts.error_server.replace("{status}", String(response.status)));
      }
    }, function (error) {
      clearTimeout(timer);
      failed(error && error.name === "AbortError" ? texts.error_timeout : texts.error_network);
    });
  }

  comment.addEventListener("input", function () {
    updateCounter();
    personalDataAccepted = false;
  });
  updateCounter();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) { return; }
    if (!answered()) {
      showAlert(texts.nothing_answered, []);
      return;
    }
    if (email.value !== "" && !email.checkValidity()) {
      showAlert(texts.invalid_email, []);
      return;
    }
    var found = personalDataFound(comment.value);
    if (found.length && !personalDataAccepted) {
      showAlert(texts.personal_data_heading,
        [texts.personal_data_warning.replace("{found}", found.join(", "))],
        [
          { label: texts.edit_comment, run: function () { clearAlert(); comment.focus(); } },
          { label: texts.send_anyway, run: function () { personalDataAccepted = true; send(); } }
        ]);
      return;
    }
    send();
  });
}());
