// Flashcards with Anki's keys: Space or Enter shows the answer while the card (it has focus when
// the page loads) or its "Show answer" link has focus; then Space is Good and 1-4 grade; Ctrl+Z
// (or Cmd+Z) undoes the last grade. Grades and undo act only when focus is not on a link, a
// button or a field, so those keep their own keys. The time from seeing the prompt
// to grading is sent as duration_ms. Without this script the "Show answer" link, the
// grade buttons and the undo button work just the same.
(function () {
  "use strict";

  var card = document.querySelector("[data-flashcard]");
  var undoForm = document.querySelector("form[data-undo-form]");
  if (!card && !undoForm) { return; }
  var flipLink = document.querySelector("a[data-flip]");
  var gradeForm = document.querySelector("form[data-grade-form]");
  var storageKey = card ? "flashcard-shown:" + card.getAttribute("data-question") + ":" +
    card.getAttribute("data-card-version") : "";
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
  // Focus on something that answers keys itself (a link, a button, a field), or typing.
  function focusHasItsOwnKeys(event) {
    var target = event.target;
    if (!target || target === document.body || target === document.documentElement) { return false; }
    var tag = target.tagName;
    return event.isComposing || tag === "A" || tag === "BUTTON" || tag === "INPUT" ||
      tag === "TEXTAREA" || tag === "SELECT" || tag === "SUMMARY" || target.isContentEditable;
  }
  function submit(form, button) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(button || undefined);
    } else if (button) {
      button.click();
    } else {
      form.submit();
    }
  }
  function isSpace(event) { return event.key === " " || event.key === "Spacebar"; }

  if (flipLink) {
    // The prompt is on screen from now: the answer page measures from here.
    remember(String(pageShownAt));
  }

  // The page's autofocus (the card's front, or the answer) may come after the first key press:
  // focus it now, before the page counts as loaded, unless the reader already moved on.
  var focusFirst = document.getElementById("answer") || (flipLink ? card : null);
  if (focusFirst && (!document.activeElement || document.activeElement === document.body)) {
    focusFirst.focus();
  }

  var sent = false;
  if (gradeForm) {
    var startedAt = Number(recall()) || pageShownAt;
    var durationField = gradeForm.querySelector("input[name=duration_ms]");
    gradeForm.addEventListener("submit", function (event) {
      if (sent) { event.preventDefault(); return; } // one grade per card, even on a double tap
      sent = true;
      if (durationField) { durationField.value = String(Math.max(0, Date.now() - startedAt)); }
      forget();
    });
  }

  // The card itself or its "Show answer" link: the only places where Space and Enter flip.
  function onTheCard(event) {
    return event.target === flipLink || card.contains(event.target);
  }

  document.addEventListener("keydown", function (event) {
    if (event.repeat || event.isComposing) { return; }
    var plain = !(event.altKey || event.ctrlKey || event.metaKey || event.shiftKey);
    if (flipLink && plain && (isSpace(event) || event.key === "Enter") && onTheCard(event)) {
      event.preventDefault();
      flipLink.click();
      return;
    }
    if (focusHasItsOwnKeys(event)) { return; }
    var undo = (event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "z" || event.key === "Z");
    if (undo && undoForm) {
      event.preventDefault();
      submit(undoForm);
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (!gradeForm || sent) { return; }
    var rating = isSpace(event) ? "3" : (/^[1-4]$/.test(event.key) ? event.key : null);
    if (!rating) { return; }
    var button = gradeForm.querySelector('button[name="rating"][value="' + rating + '"]');
    if (!button) { return; }
    event.preventDefault();
    submit(gradeForm, button);
  });
})();
