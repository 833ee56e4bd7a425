// The teachers' question form, enhanced: only the answer fields of the chosen
// question type are shown, and only the date parts the chosen precision needs.
// Without this script every section is shown and the server ignores the
// sections of other types, so the form works just the same.
(function () {
  "use strict";

  var form = document.querySelector("form[data-question-form]");
  if (!form) { return; }
  var typeSelect = form.querySelector("select[name=question_type]");
  var precisionSelect = form.querySelector("select[name=date_precision]");

  function showType() {
    var sections = form.querySelectorAll("[data-question-type]");
    for (var i = 0; i < sections.length; i++) {
      sections[i].hidden = sections[i].getAttribute("data-question-type") !== typeSelect.value;
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

  if (typeSelect) {
    typeSelect.addEventListener("change", showType);
    showType();
  }
  if (precisionSelect) {
    precisionSelect.addEventListener("change", showDateParts);
    showDateParts();
  }
})();
