/* One view page: reads its data from the JSON block, draws it with vis-network at the
   positions computed in Python (physics off), and adds legend, class filter, search and an
   information panel. Every piece of data reaches the page as text (textContent, vis-network's
   text tooltips), never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tkg-data").textContent);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var big = data.nodes.length > 1000;
  var options = {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    nodes: { font: { size: 14, multi: false }, borderWidth: 1, size: 12 },
    edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
             font: { size: 11, align: "middle", strokeWidth: 3 }, color: { color: "#999", highlight: "#333" } }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var view = { data: data, nodes: nodes, edges: edges, network: network, ready: false };
  window.tkgView = view;

  /* time axis and the bars showing when each function was part of the mandate */
  var overlay = data.overlay || {};
  if (overlay.axis) {
    network.on("beforeDrawing", function (ctx) {
      var a = overlay.axis;
      ctx.save();
      ctx.font = "bold 14px sans-serif";
      ctx.textAlign = "center";
      for (var y = a.first; y <= a.last; y++) {
        var x = (y - a.first) * a.pxPerYear;
        ctx.strokeStyle = y % 5 === 0 ? "#bbb" : "#e6e6e6";
        ctx.lineWidth = 1;
        ctx.beginPath(); ctx.moveTo(x, a.top); ctx.lineTo(x, a.bottom); ctx.stroke();
        ctx.fillStyle = "#666";
        ctx.fillText(String(y), x, a.top - 8);
        ctx.fillText(String(y), x, a.bottom + 18);
      }
      (overlay.bars || []).forEach(function (b) {
        var n = nodes.get(b.from);
        if (!n || n.hidden) { return; }
        ctx.strokeStyle = b.open ? "rgba(44,160,44,0.55)" : "rgba(150,150,150,0.7)";
        ctx.lineWidth = 10;
        ctx.lineCap = "round";
        ctx.beginPath(); ctx.moveTo(b.x0, b.y); ctx.lineTo(b.x1, b.y); ctx.stroke();
      });
      ctx.restore();
    });
  }

  /* legend with a filter by class */
  var legend = document.getElementById("legend");
  var shown = {};
  data.classes.forEach(function (c) {
    shown[c.key] = true;
    var row = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = c.key;
    box.addEventListener("change", function () {
      shown[c.key] = box.checked;
      nodes.update(data.nodes.filter(function (n) { return n.cls === c.key; })
        .map(function (n) { return { id: n.id, hidden: !box.checked }; }));
    });
    var swatch = document.createElement("span");
    swatch.className = "swatch"; swatch.style.background = c.colour;
    var text = document.createElement("span");
    text.textContent = c.label + " (" + c.count + ")";
    row.appendChild(box); row.appendChild(swatch); row.appendChild(text);
    legend.appendChild(row);
  });

  /* information panel */
  var info = document.getElementById("info");
  function show(id) {
    var n = byId[id];
    info.textContent = n ? n.title : "";
  }
  network.on("click", function (p) { if (p.nodes.length) { show(p.nodes[0]); } });

  /* search tolerant of tone placement, missing diacritics and abbreviations */
  var input = document.getElementById("search");
  var results = document.getElementById("results");
  var status = document.getElementById("search-status");
  function search(text) {
    var key = tkgSearchKey(text, data.abbreviations);
    results.textContent = "";
    if (!key) { status.textContent = ""; network.unselectAll(); return []; }
    var hits = data.nodes.filter(function (n) { return shown[n.cls] && n.key.indexOf(key) !== -1; });
    /* best first: a name that is the typed text, then one that starts with it, then shorter names */
    function rank(n) {
      var names = n.key.split(" | ");
      if (names.indexOf(key) !== -1) { return 0; }
      return names.some(function (k) { return k.indexOf(key) === 0; }) ? 1 : 2;
    }
    hits.sort(function (a, b) { return rank(a) - rank(b) || a.label.length - b.label.length || (a.id < b.id ? -1 : 1); });
    status.textContent = data.strings.found.replace("{n}", String(hits.length));
    network.selectNodes(hits.map(function (n) { return n.id; }));
    hits.slice(0, 50).forEach(function (n) {
      var li = document.createElement("li");
      li.textContent = n.label;
      li.dataset.id = n.id;
      li.addEventListener("click", function () {
        network.focus(n.id, { scale: 1.2, animation: false });
        network.selectNodes([n.id]);
        show(n.id);
      });
      results.appendChild(li);
    });
    if (hits.length) { show(hits[0].id); }
    return hits;
  }
  view.search = search;
  input.addEventListener("input", function () { search(input.value); });

  network.once("afterDrawing", function () {
    view.ready = true;
    document.body.setAttribute("data-ready", "1");
  });
})();
