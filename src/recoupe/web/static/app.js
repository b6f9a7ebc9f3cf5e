/* recoupe: draws the timelines (vis-timeline) and networks (cytoscape) of the page.
 *
 * Data come from <script type="application/json"> blocks written by the server (escaped by
 * Jinja's tojson); every label is set as text, never as HTML. No inline script is needed, so
 * the Content-Security-Policy can forbid them. */
(function () {
  "use strict";

  function data(id) {
    var block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : null;
  }

  // Links the server or the report wrote: a path or a fragment, never a scheme ("javascript:")
  // nor another host ("//...").
  function safeHref(href) {
    return typeof href === "string" && href.indexOf(":") < 0 && href.slice(0, 2) !== "//" ? href : null;
  }

  function go(href) {
    var target = safeHref(href);
    if (target) { window.location.href = target; }
  }

  function nextDay(iso) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }

  function drawTimeline(el) {
    var entries = data(el.getAttribute("data-timeline"));
    if (!entries || !entries.length || typeof vis === "undefined") { return; }
    var items = entries.map(function (e, i) {
      var content = document.createElement("span");
      content.textContent = e.label;
      var classes = [e.uncertain ? "uncertain" : "exact"];
      if (e.conflict) { classes.push("conflict"); }
      var item = {id: i, content: content, start: e.start, className: classes.join(" "), href: e.href};
      if (e.uncertain) { item.end = nextDay(e.end); item.type = "range"; } else { item.type = "point"; }
      return item;
    });
    var timeline = new vis.Timeline(el, new vis.DataSet(items), {
      stack: true, zoomable: true, horizontalScroll: true, zoomKey: "ctrlKey", maxHeight: 420, margin: {item: 6},
      xss: {disabled: false}
    });
    timeline.on("select", function (props) {
      if (props.items.length) { go(items[props.items[0]].href); }
    });
    el.setAttribute("data-drawn", String(items.length));
  }

  var COLOURS = {PER: "#2b6cb0", ORG: "#b7791f", GPE: "#2f855a", LOC: "#2f855a", FAC: "#6b46c1"};

  function drawGraph(el) {
    var graph = data(el.getAttribute("data-graph"));
    if (!graph || !graph.nodes.length || typeof cytoscape === "undefined") { return; }
    var elements = graph.nodes.map(function (n) {
      return {data: {id: n.id, label: n.label, type: n.type, href: n.href}};
    }).concat(graph.edges.map(function (e, i) {
      return {data: {id: "e" + i, source: e.source, target: e.target,
                     label: e.type + (e.weight > 1 ? " ×" + e.weight : ""), weight: e.weight}};
    }));
    var cy = cytoscape({
      container: el, elements: elements, maxZoom: 1.6,
      layout: graph.nodes.length <= 12
        ? {name: "circle", padding: 40, avoidOverlap: true}
        : {name: "cose", animate: false, randomize: true, nodeRepulsion: 12000, idealEdgeLength: 110, padding: 30},
      style: [
        {selector: "node", style: {"label": "data(label)", "font-size": 11, "text-valign": "bottom",
          "text-margin-y": 4, "width": 18, "height": 18, "background-color": function (n) {
            return COLOURS[n.data("type")] || "#718096"; }}},
        {selector: "edge", style: {"label": "data(label)", "font-size": 9, "curve-style": "bezier",
          "target-arrow-shape": "triangle", "width": function (e) { return 1 + Math.min(e.data("weight"), 5); },
          "line-color": "#a0aec0", "target-arrow-color": "#a0aec0", "text-rotation": "autorotate",
          "color": "#4a5568"}}
      ]
    });
    cy.on("tap", "node", function (evt) { go(evt.target.data("href")); });
    el.setAttribute("data-drawn", String(graph.nodes.length));
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-timeline]"), drawTimeline);
    Array.prototype.forEach.call(document.querySelectorAll("[data-graph]"), drawGraph);
  }

  // Draw after the page's first paint: the text is readable at once, the charts follow.
  function later() { window.setTimeout(start, 0); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", later);
  } else {
    later();
  }
}());
