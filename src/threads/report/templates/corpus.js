// Sort the article table by a column when its header is clicked (again: the other way).
(function () {
  var table = document.getElementById("article-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;
  function key(row, column, numeric) {
    var cell = row.cells[Math.min(column, row.cells.length - 1)];
    var value = cell ? cell.getAttribute("data-sort") : "";
    if (!numeric) { return value; }
    return value === "" || value === null ? null : parseFloat(value);
  }
  function sortBy(column, numeric, descending) {
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, column, numeric), y = key(b, column, numeric);
      if (x === y) { return 0; }
      if (x === null) { return 1; }
      if (y === null) { return -1; }
      var order = numeric ? x - y : String(x).localeCompare(String(y));
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
    headers[column].setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  Array.prototype.forEach.call(table.tHead.querySelectorAll("button"), function (button) {
    button.addEventListener("click", function () {
      var column = parseInt(button.getAttribute("data-column"), 10);
      var numeric = button.getAttribute("data-numeric") === "yes";
      var th = headers[column];
      sortBy(column, numeric, th.getAttribute("aria-sort") === "ascending");
    });
  });
})();
