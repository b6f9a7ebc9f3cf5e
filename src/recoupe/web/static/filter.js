/* recoupe report: filter a list as you type. An <input data-filter="SELECTOR"> hides the elements
 * matching SELECTOR whose text (or data-text) does not contain every typed word, accents and case
 * ignored, and writes how many are shown into the element named by data-count. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function wire(input) {
    var rows = Array.prototype.slice.call(document.querySelectorAll(input.getAttribute("data-filter")));
    var texts = rows.map(function (row) { return fold(row.getAttribute("data-text") || row.textContent); });
    var counter = document.getElementById(input.getAttribute("data-count") || "");
    function apply() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (counter) { counter.textContent = String(shown); }
    }
    input.addEventListener("input", apply);
    apply();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), wire);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
