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
