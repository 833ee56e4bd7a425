// The teachers' question form, enhanced: only the answer fields of the chosen
// question type are shown (a section lists its types in data-question-type),
// only the date parts the chosen precision needs, and a multiple-choice
// question keeps one option marked correct (marking one unmarks the others).
// Without this script every section is shown, the server ignores the sections
// of other types and says so if a multiple-choice question has two marked, so
// the form works just the same.
(function () {
  "use strict";

  var form = document.querySelector("form[data-question-form]");
  if (!form) { return; }
  var typeSelect = form.querySelector("select[name=question_type]");
  var precisionSelect = form.querySelector("select[name=date_precision]");

  function showType() {
    var sections = form.querySelectorAll("[data-question-type]");
    for (var i = 0; i < sections.length; i++) {
      var types = sections[i].getAttribute("data-question-type").split(" ");
      sections[i].hidden = types.indexOf(typeSelect.value) < 0;
    }
  }

  function showDateParts() {
    var precision = precisionSelect.value;
    var parts = form.querySelectorAll("[data-date-part]");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i].getAttribute("data-date-part");
      parts[i].hidden = (part === "day" && precision !== "day") ||
        (part === "month" && precision === "year");
    }
  }

  function keepOneCorrect(event) {
    var box = event.target;
    if (box.name !== "correct_option" || !box.checked || !typeSelect || typeSelect.value !== "multiple_choice") {
      return;
    }
    var boxes = form.querySelectorAll("input[name=correct_option]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i] !== box) { boxes[i].checked = false; }
    }
  }

  form.addEventListener("change", keepOneCorrect);
  if (typeSelect) {
    typeSelect.addEventListener("change", showType);
    showType();
  }
  if (precisionSelect) {
    precisionSelect.addEventListener("change", showDateParts);
    showDateParts();
  }
})();
