// liftrisk web app: draw the plotly figures embedded as JSON, poll a running assessment.
(function () {
  "use strict";
  if (window.Plotly) {
    document.querySelectorAll("script.figure").forEach(function (el) {
      var fig = JSON.parse(el.textContent);
      window.Plotly.newPlot(el.dataset.target, fig.data, fig.layout, { responsive: true, displaylogo: false });
    });
  }
  var box = document.getElementById("progress-box");
  if (box) {
    var id = box.dataset.id;
    var poll = function () {
      fetch("/api/assessments/" + id, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          document.getElementById("progress").value = s.progress;
          document.getElementById("stage").textContent = s.stage;
          document.getElementById("status").textContent = s.status;
          if (s.status === "done" || s.status === "failed") { window.location.reload(); }
          else { setTimeout(poll, 1000); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 500);
  }
  var cmp = document.getElementById("compare-form");
  if (cmp) {
    cmp.addEventListener("submit", function (ev) {
      var picked = Array.prototype.map.call(cmp.querySelectorAll("input[name=pick]:checked"), function (c) { return c.value; });
      ev.preventDefault();
      if (picked.length !== 2) { alert("Tick exactly two finished assessments to compare."); return; }
      picked.sort(function (x, y) { return Number(x) - Number(y); });  // older = A ("before")
      window.location.href = "/compare?a=" + picked[0] + "&b=" + picked[1];
    });
  }
})();
