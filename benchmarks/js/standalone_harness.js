// The standalone page's harness: window.__init(specs) draws each figure JSON in its own div (returns how
// many); window.__update(specs) Plotly.reacts them (purge + newPlot when window.__fresh) and returns
// {afterplot_ms, painted_ms}.
window.__afterplotOnce = function (gd) {
  return new Promise(function (resolve) {
    var done = false;
    gd.on('plotly_afterplot', function () {
      if (!done) { done = true; resolve(performance.now()); }
    });
  });
};
window.__twoFrames = function () {
  return new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(r); }); });
};
window.__init = async function (specs) {
  var root = document.getElementById('root');
  window.__gds = [];
  for (var i = 0; i < specs.length; i++) {
    var div = document.createElement('div');
    div.className = 'chart';
    root.appendChild(div);
    var fig = JSON.parse(specs[i]);
    await Plotly.newPlot(div, fig.data, fig.layout, {responsive: false});
    window.__gds.push(div);
  }
  await window.__twoFrames();
  return window.__gds.length;
};
// One update: parse each new figure JSON and Plotly.react it (or, with window.__fresh,
// purge and Plotly.newPlot, as a remounted Streamlit chart does); time to afterplot on all.
window.__update = async function (specs) {
  var t0 = performance.now();
  var waits = [];
  for (var i = 0; i < specs.length; i++) {
    var gd = window.__gds[i];
    var fig = JSON.parse(specs[i]);
    var w;
    if (window.__fresh) {  // the plot is gone after purge: time newPlot's own promise
      Plotly.purge(gd);
      w = Plotly.newPlot(gd, fig.data, fig.layout, {responsive: false}).then(function () { return performance.now(); });
    } else {
      w = window.__afterplotOnce(gd);
      Plotly.react(gd, fig.data, fig.layout);
    }
    waits.push(w);
  }
  var ends = await Promise.all(waits);
  var tAfter = Math.max.apply(null, ends);
  await window.__twoFrames();
  var tPaint = performance.now();
  return {afterplot_ms: tAfter - t0, painted_ms: tPaint - t0};
};
