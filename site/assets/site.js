// Report site: charts (Apache ECharts, bundled) and sortable, filterable
// tables. No network: everything it needs is in the site's assets folder.
(function () {
  "use strict";
  var brl = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL" });
  var num = new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 2 });
  var brlAxis = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL", maximumFractionDigits: 0 });
  // A total as the page writes it: R$ 1.234,56 and -R$ 50,00 with a plain
  // space (Intl puts a no-break one), counts and quantities whole when whole.
  var totalFormats = {
    brl: function (v) { return brl.format(v).replace(/\u00a0/g, " "); },
    int: new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 0 }).format,
    qty: new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 6 }).format,
    "": new Intl.NumberFormat("pt-BR", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format
  };

  function charts() {
    var specs = document.querySelectorAll("script.chart-data");
    for (var i = 0; i < specs.length; i++) {
      var spec = JSON.parse(specs[i].textContent);
      var el = document.getElementById(spec.id);
      var chart = echarts.init(el, null, { renderer: "svg" });
      var fmt = spec.money ? function (v) { return brl.format(v); } : function (v) { return num.format(v); };
      var cat = { type: "category", data: spec.categories, axisLabel: { width: 220, overflow: "truncate" } };
      var axisFmt = spec.money ? function (v) { return brlAxis.format(v); } : fmt;
      var val = { type: "value", axisLabel: { formatter: axisFmt }, minInterval: spec.money ? 0 : 1 };
      if (spec.horizontal) { cat.inverse = true; }
      chart.setOption({
        animation: false,
        title: { text: spec.title, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis", valueFormatter: fmt },
        legend: spec.series.length > 1 ? { bottom: 0 } : undefined,
        grid: { left: 12, right: 48, top: 40, bottom: spec.series.length > 1 ? 36 : 12, containLabel: true },
        xAxis: spec.horizontal ? val : cat,
        yAxis: spec.horizontal ? cat : val,
        series: spec.series.map(function (s) { return { type: "bar", name: s.name, data: s.data }; })
      });
    }
  }

  function tables() {
    var tables = document.querySelectorAll("table.sortable");
    for (var t = 0; t < tables.length; t++) { setup(tables[t]); }
  }

  function setup(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = table.tHead.rows[0].cells;
    var count = document.getElementById(table.id + "-count");
    var filter = document.getElementById(table.id + "-filter");
    function show() {
      var q = filter ? filter.value.trim().toLocaleLowerCase("pt-BR") : "";
      var n = 0;
      rows.forEach(function (r) {
        var hit = q === "" || r.textContent.toLocaleLowerCase("pt-BR").indexOf(q) >= 0;
        r.hidden = !hit;
        if (hit) { n++; }
      });
      if (count) { count.textContent = n + " de " + rows.length + " linhas"; }
      totals(q !== "");
    }
    // The totals row follows the filter: each sum over the rows shown (and,
    // for a conditional one, those whose column shows the value); a total
    // that is not a sum (a ratio) shows a dash while a filter is on.
    var foot = table.tFoot ? table.tFoot.rows[0] : null;
    function totals(filtered) {
      if (!foot) { return; }
      for (var c = 0; c < foot.cells.length; c++) {
        var td = foot.cells[c];
        if (td.dataset.fixed) {
          if (td.dataset.text === undefined) { td.dataset.text = td.textContent; }
          td.textContent = filtered ? "—" : td.dataset.text;
          td.title = filtered ? "não é uma soma: sem o filtro, vale " + td.dataset.text : "";
          continue;
        }
        if (td.dataset.sum === undefined) { continue; }
        var sum = 0, cond = td.dataset.if !== undefined ? parseInt(td.dataset.if, 10) : -1;
        rows.forEach(function (r) {
          if (r.hidden) { return; }
          if (cond >= 0 && r.cells[cond].textContent.trim() !== td.dataset.ifv) { return; }
          var v = parseFloat(r.cells[c].dataset.v);
          if (!isNaN(v)) { sum += v; }
        });
        sum = Math.round(sum * 1e6) / 1e6;
        td.textContent = (totalFormats[td.dataset.sum] || totalFormats[""])(sum);
        td.classList.toggle("neg", sum < 0);
      }
    }
    for (var i = 0; i < heads.length; i++) {
      (function (col, th) {
        th.addEventListener("click", function () {
          var asc = th.getAttribute("aria-sort") !== "ascending";
          for (var j = 0; j < heads.length; j++) { heads[j].removeAttribute("aria-sort"); }
          th.setAttribute("aria-sort", asc ? "ascending" : "descending");
          var numeric = th.dataset.type === "n";
          rows.sort(function (a, b) {
            var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
            if (x === undefined) { x = a.cells[col].textContent; }
            if (y === undefined) { y = b.cells[col].textContent; }
            if (x === "" && y !== "") { return 1; }
            if (y === "" && x !== "") { return -1; }
            var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "pt-BR");
            return asc ? c : -c;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      })(i, heads[i]);
    }
    if (filter) { filter.addEventListener("input", show); }
    show();
  }

  document.addEventListener("DOMContentLoaded", function () { charts(); tables(); });
})();
