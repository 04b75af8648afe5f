// Sortable tables: a click on a header sorts the rows by that column,
// ascending first, then descending; aria-sort lights the ▲ or ▼.
document.querySelectorAll("table.sortable th").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0], col = th.cellIndex;
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    var text = function (row) { return row.cells[col].textContent.trim(); };
    Array.from(body.rows)
      .sort(function (a, b) { return dir * text(a).localeCompare(text(b), undefined, {numeric: true, sensitivity: "base"}); })
      .forEach(function (row) { body.appendChild(row); });
  });
});

// The index's filter box: a row stays when its data-filter text holds
// every word typed (name, technique, data source, test status), in any
// case. Without JavaScript the box stays hidden and every row shows.
(function () {
  var box = document.getElementById("filter");
  if (!box) { return; }
  var rows = Array.from(document.querySelectorAll("#detections tbody tr"));
  var count = document.getElementById("filter-count"), none = document.getElementById("filter-none");
  var apply = function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-filter") || "";
      var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !keep;
      if (keep) { shown++; }
    });
    count.textContent = words.length ? shown + " of " + rows.length + " shown" : "";
    none.hidden = shown > 0;
  };
  box.closest(".filter").hidden = false;
  box.addEventListener("input", apply);
  apply(); // a value the browser kept from an earlier visit
})();
