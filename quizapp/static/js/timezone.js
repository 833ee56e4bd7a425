// Preselect the browser's own time zone on forms that ask for one.
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  document.querySelectorAll("select[data-browser-timezone]").forEach(function (select) {
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
    if (option && select.value === "UTC") { select.value = zone; }
  });
})();
