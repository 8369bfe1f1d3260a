// Draw every plotly figure on the page from the JSON the view embedded (json_script): no inline code.
(function () {
  "use strict";
  var CONFIG = {
    displaylogo: false,
    responsive: true,
    // PNG export needs blob: images, which the CSP refuses; SVG works.
    toImageButtonOptions: { format: "svg" },
    modeBarButtonsToRemove: ["lasso2d", "select2d"],
    // Names are text: "$x^2$" in a project's name must never be typeset as maths.
    typesetMath: false,
  };

  // A narrow chart fits one legend entry a line: a chart of more than five lines (a history's:
  // the overall score and one per category) grows by those lines instead of its legend taking
  // the plot's room. Set through the CSSOM, which the CSP allows (style attributes it refuses).
  function growForLegend(element, figure) {
    if (element.clientWidth >= 560) return;
    var named = figure.data.filter(function (trace) { return trace.name; });
    if (named.length > 5) element.style.height = element.clientHeight + 20 * named.length + "px";
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.Plotly || element.dataset.drawn) return;
    element.dataset.drawn = "1";
    var figure = JSON.parse(source.textContent);
    growForLegend(element, figure);
    // A figure may adjust the page's settings (the dashboard hides the toolbar).
    window.Plotly.newPlot(element, figure.data, figure.layout, Object.assign({}, CONFIG, figure.config));
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // Charts in partials that htmx swaps in: htmx:load fires on each new element, in the document
  // (an outerHTML swap's settle events fire on the detached old element and never reach here).
  document.addEventListener("htmx:load", function () { drawAll(document); });
})();
