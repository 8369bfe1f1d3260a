// Draw every plotly figure on the page from the JSON the view embedded (json_script): no inline code.
(function () {
  "use strict";
  var CONFIG = {
    displaylogo: false,
    responsive: true,
    // PNG export needs blob: images, which the CSP refuses; SVG works.
    toImageButtonOptions: { format: "svg" },
    modeBarButtonsToRemove: ["lasso2d", "select2d"],
  };

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, CONFIG);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // Charts inside swapped partials (htmx) are drawn when they arrive.
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
