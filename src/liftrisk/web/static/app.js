// liftrisk web app: draw the plotly figures embedded as JSON, poll a running assessment.
(function () {
  "use strict";
  var plots = [];
  var video = document.getElementById("video");
  // mark a time on every plot (and show that frame of the video, if there is one)
  var goTo = function (t, fromVideo) {
    t = Number(t);
    if (!isFinite(t)) { return; }
    if (video && !fromVideo) {
      var t0 = Number(video.dataset.t0 || 0);
      video.currentTime = Math.max(0, t - t0);
      video.pause();
    }
    plots.forEach(function (id) {
      window.Plotly.relayout(id, { shapes: [{ type: "line", xref: "x", yref: "paper", x0: t, x1: t, y0: 0, y1: 1,
        line: { color: "#f79009", width: 2 } }] });
    });
    var out = document.getElementById("cursor");
    if (out) { out.textContent = t.toFixed(2) + " s"; }
  };
  if (window.Plotly) {
    document.querySelectorAll("script.figure").forEach(function (el) {
      var fig = JSON.parse(el.textContent);
      window.Plotly.newPlot(el.dataset.target, { data: fig.data, layout: fig.layout, frames: fig.frames || [],
        config: { responsive: true, displaylogo: false } });
      if (!el.dataset.noclick) { plots.push(el.dataset.target); }
      var div = document.getElementById(el.dataset.target);
      if (div && div.on && !el.dataset.noclick) {
        div.on("plotly_click", function (ev) { if (ev.points && ev.points.length) { goTo(ev.points[0].x); } });
      }
    });
  }
  if (video) {  // the plots' cursor follows the video (at most ~4 times a second: timeupdate)
    video.addEventListener("timeupdate", function () {
      goTo(video.currentTime + Number(video.dataset.t0 || 0), true);
    });
  }
  document.querySelectorAll("button.moment").forEach(function (b) {
    b.addEventListener("click", function () { goTo(b.dataset.t); });
  });
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
