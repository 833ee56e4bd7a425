// Quiz options chosen with digit keys: 1 chooses the first option shown, 2 the
// second, and so on (a checkbox is ticked or unticked). Typing in a box or a
// list is left alone. Without this script the options work as usual, by
// pointer or by Tab and the arrow keys.
(function () {
  "use strict";

  var form = document.querySelector("form[data-digit-keys]");
  if (!form) { return; }

  form.addEventListener("keydown", function (event) { choose(event); });
  document.addEventListener("keydown", function (event) {
    if (!form.contains(event.target)) { choose(event); }
  });

  function choose(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (!/^[1-9]$/.test(event.key)) { return; }
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && target.type === "text")) { return; }
    var option = form.querySelector("#option-" + event.key);
    if (!option) { return; }
    event.preventDefault();
    if (option.type === "checkbox") {
      option.checked = !option.checked;
    } else {
      option.checked = true;
    }
    option.focus();
  }
})();
