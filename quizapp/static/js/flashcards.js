// Flashcards, enhanced: Space or Enter shows the answer, 1-4 grade, and the
// time from seeing the prompt to grading is sent as duration_ms. Without this
// script the "Show answer" link and the grade buttons work just the same.
(function () {
  "use strict";

  var card = document.querySelector("[data-flashcard]");
  if (!card) { return; }
  var flipLink = document.querySelector("a[data-flip]");
  var gradeForm = document.querySelector("form[data-grade-form]");
  var storageKey = "flashcard-shown:" + card.getAttribute("data-question") + ":" +
    card.getAttribute("data-card-version");
  var pageShownAt = Date.now();

  function remember(value) {
    try { window.sessionStorage.setItem(storageKey, value); } catch (e) { /* storage off */ }
  }
  function recall() {
    try { return window.sessionStorage.getItem(storageKey); } catch (e) { return null; }
  }
  function forget() {
    try { window.sessionStorage.removeItem(storageKey); } catch (e) { /* storage off */ }
  }
  // Leave keys alone while the student types or uses a browser shortcut.
  function ignored(event) {
    var target = event.target;
    var tag = target && target.tagName;
    return event.altKey || event.ctrlKey || event.metaKey || event.isComposing ||
      tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  if (flipLink) {
    // The prompt is on screen from now: the answer page measures from here.
    remember(String(pageShownAt));
    document.addEventListener("keydown", function (event) {
      if (ignored(event)) { return; }
      if (event.key === " " || event.key === "Enter" || event.key === "Spacebar") {
        event.preventDefault();
        flipLink.click();
      }
    });
  }

  if (gradeForm) {
    var startedAt = Number(recall()) || pageShownAt;
    var durationField = gradeForm.querySelector("input[name=duration_ms]");
    var sent = false;
    gradeForm.addEventListener("submit", function (event) {
      if (sent) { event.preventDefault(); return; } // one grade per card, even on a double tap
      sent = true;
      if (durationField) { durationField.value = String(Math.max(0, Date.now() - startedAt)); }
      forget();
    });
    document.addEventListener("keydown", function (event) {
      if (ignored(event) || event.repeat || !/^[1-4]$/.test(event.key)) { return; }
      var button = gradeForm.querySelector('button[name="rating"][value="' + event.key + '"]');
      if (!button) { return; }
      event.preventDefault();
      if (typeof gradeForm.requestSubmit === "function") {
        gradeForm.requestSubmit(button);
      } else {
        button.click();
      }
    });
  }
})();
