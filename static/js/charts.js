// Draw every plotly figure on the page from the JSON the view embedded (json_script): no inline code.
(function () {
  "use strict";
  var CONFIG = {
    // No toolbar: it covered the legends (on hover, and for good after a tap on a phone), and
    // each chart's numbers are in its table and the PDF.
    displayModeBar: false,
    // Redrawn to the width of its container whenever the window changes size.
    responsive: true,
    // Names are text: "$x^2$" in a project's name must never be typeset as maths.
    typesetMath: false,
  };

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.Plotly || element.dataset.drawn) return;
    element.dataset.drawn = "1";
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    var named = (figure.data || []).filter(function (trace) { return trace.name; }).length;
    if (element.clientWidth < 560 && named > 3) {
      // A phone's width fits one legend entry a line: the chart grows by those lines instead of
      // the legend taking the plot's room (CSSOM, which the CSP allows; style attributes it refuses).
      element.style.height = element.clientHeight + 18 * named + "px";
      layout.legend = Object.assign({}, layout.legend, { font: { size: 11 } });
    }
    window.Plotly.newPlot(element, figure.data, layout, CONFIG);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // Charts in partials that htmx swaps in: htmx:load fires on each new element, in the document
  // (an outerHTML swap's settle events fire on the detached old element and never reach here).
  document.addEventListener("htmx:load", function () { drawAll(document); });
})();
