// Entry point for the Paydown partial plotly.js bundle.
// Trace types: bar, heatmap, scatter, scatterpolar (nothing else).
// `scatter` is registered by plotly.js/lib/core itself and cannot be removed,
// so it is not listed here again.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/scatterpolar')
]);

module.exports = Plotly;
