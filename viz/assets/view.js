/* One view page: reads its data from the JSON block, draws it with vis-network at the
   positions computed in Python (physics off), and adds legend, class filter, search, an
   information panel, a language switch and keyboard use. Every piece of data reaches the page
   as text (textContent, vis-network's text tooltips), never as HTML.

   The first frame shows everything the view draws inside the canvas: boxes that start at their
   date (anchor "left") are moved by half their drawn width, then the view is fitted to the
   nodes, their labels and the time axis with its bars; only then is data-ready set. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tkg-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var big = data.nodes.length > 1000;
  var options = {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    nodes: { font: { size: 14, multi: false }, borderWidth: 1, size: 12 },
    edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.5 } },
             font: { size: 11, align: "middle", strokeWidth: 3 }, color: { color: "#888", highlight: "#222" } }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var view = { data: data, nodes: nodes, edges: edges, network: network, ready: false, lang: data.lang };
  window.tkgView = view;

  /* time axis, the bars of how long each thing held, and a line at each decision's date */
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
        ctx.setLineDash([]);
        ctx.beginPath(); ctx.moveTo(x, a.top); ctx.lineTo(x, a.bottom); ctx.stroke();
        if (y % 2 === 0 || a.pxPerYear >= 60) {
          ctx.fillStyle = "#555";
          ctx.fillText(String(y), x, a.top - 8);
          ctx.fillText(String(y), x, a.bottom + 18);
        }
      }
      (overlay.marks || []).forEach(function (m) {
        var n = nodes.get(m.from);
        if (!n || n.hidden) { return; }
        ctx.strokeStyle = "rgba(213,94,0,0.55)";
        ctx.lineWidth = 1.5;
        ctx.setLineDash([4, 4]);
        ctx.beginPath(); ctx.moveTo(m.x, m.y0); ctx.lineTo(m.x, m.y1); ctx.stroke();
      });
      (overlay.bars || []).forEach(function (b) {
        var n = nodes.get(b.from);
        if (!n || n.hidden) { return; }
        var c = (n.color && n.color.border) || "#888888";   /* the node's own colour while it holds, grey after */
        ctx.strokeStyle = b.open ? "rgba(" + [1, 3, 5].map(function (i) { return parseInt(c.substr(i, 2), 16); }).join(",") + ",0.45)"
                                 : "rgba(140,140,140,0.55)";
        ctx.lineWidth = 10;
        ctx.lineCap = "butt";
        ctx.setLineDash(b.unsure ? [8, 6] : []);
        ctx.beginPath(); ctx.moveTo(b.x0, b.y); ctx.lineTo(b.x1, b.y); ctx.stroke();
      });
      ctx.restore();
    });
  }

  /* everything drawn, in canvas coordinates: nodes with their labels, axis, bars */
  function extent() {
    var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    function add(l, r, t, b) {
      box.left = Math.min(box.left, l); box.right = Math.max(box.right, r);
      box.top = Math.min(box.top, t); box.bottom = Math.max(box.bottom, b);
    }
    nodes.get({ filter: function (n) { return !n.hidden; } }).forEach(function (n) {
      var b = network.getBoundingBox(n.id);
      if (b) { add(b.left, b.right, b.top, b.bottom); }
    });
    if (overlay.axis) {
      var a = overlay.axis;
      add(-22, (a.last - a.first) * a.pxPerYear + 22, a.top - 26, a.bottom + 26);
    }
    return box;
  }
  view.extent = extent;

  function fit() {
    var box = extent();
    if (!isFinite(box.left)) { return; }
    var w = container.clientWidth, h = container.clientHeight, pad = 16;
    var scale = Math.min((w - 2 * pad) / Math.max(1, box.right - box.left),
                         (h - 2 * pad) / Math.max(1, box.bottom - box.top), 1.6);
    network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
                     scale: scale, animation: false });
    network.redraw();
  }
  view.fit = fit;

  /* a box that starts at its date: move it by half its drawn width (known once drawn) */
  function anchor() {
    var moves = [];
    nodes.get({ filter: function (n) { return n.anchor === "left"; } }).forEach(function (n) {
      var b = network.getBoundingBox(n.id);
      if (!b) { return; }
      var x = n.x + (b.right - b.left) / 2;
      if (Math.abs(network.getPositions([n.id])[n.id].x - x) > 0.5) { moves.push({ id: n.id, x: x, y: n.y }); }
    });
    if (moves.length) { network.moveNode && moves.forEach(function (m) { network.moveNode(m.id, m.x, m.y); }); }
    return moves.length;
  }

  var stage = 0;   /* 0: anchor the boxes, 1: fit, 2: ready */
  function settle() { stage = 0; network.redraw(); }
  network.on("afterDrawing", function () {
    if (stage === 0) {
      stage = 1;
      if (anchor()) { network.redraw(); return; }
    }
    if (stage === 1) {
      stage = 2;
      fit();
      return;
    }
    if (!view.ready) {
      view.ready = true;
      document.body.setAttribute("data-ready", "1");
    }
  });
  /* a new size (the header rewrapped by the language switch, a turned phone): fit after the next drawing,
     when the labels' boxes are measured again, and after vis-network has set its own camera for the new size */
  network.on("resize", function () { if (view.ready) { setTimeout(settle, 0); } });

  /* strings in the page's current language */
  function strings() { return view.lang === data.lang ? data.strings : data.other.strings; }
  function texts() { return view.lang === data.lang ? data.own : data.other; }

  /* legend with a filter by class */
  var legend = document.getElementById("legend");
  var shown = {};
  var legendText = {};
  data.classes.forEach(function (c) {
    shown[c.key] = !c.hidden;     /* the explorer's first frame leaves some classes for the legend to show */
    var row = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = !c.hidden; box.value = c.key;
    box.addEventListener("change", function () {
      shown[c.key] = box.checked;
      nodes.update(data.nodes.filter(function (n) { return n.cls === c.key; })
        .map(function (n) { return { id: n.id, hidden: !box.checked }; }));
      fit();
    });
    var swatch = document.createElement("span");
    swatch.className = "swatch"; swatch.style.background = c.colour;
    var text = document.createElement("span");
    text.textContent = c.label + " (" + c.count + ")";
    legendText[c.key] = text;
    row.appendChild(box); row.appendChild(swatch); row.appendChild(text);
    legend.appendChild(row);
  });

  /* how much of the graph the first frame draws, when it is not all of it */
  var capped = document.getElementById("capped-note");
  function cappedText() {
    var drawn = data.nodes.filter(function (n) { return !n.hidden; }).length;
    return drawn < data.nodes.length ? strings().capped.replace("{n}", String(drawn)).replace("{m}", String(data.nodes.length)) : "";
  }
  capped.textContent = cappedText();
  capped.hidden = !capped.textContent;

  /* the transfers' line styles, one per certainty drawn: a short line as drawn, then the certainty's name */
  var transferText = {};
  var transferLegend = document.getElementById("transfer-legend");
  (data.transfers || []).forEach(function (t) {
    var row = document.createElement("div");
    row.className = "edge-kind";
    row.dataset.certainty = t.certainty;
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", "36"); svg.setAttribute("height", "10");
    var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
    line.setAttribute("x1", "1"); line.setAttribute("x2", "35"); line.setAttribute("y1", "5"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", t.colour); line.setAttribute("stroke-width", "2");
    if (t.dashes) { line.setAttribute("stroke-dasharray", t.dashes.join(" ")); }
    svg.appendChild(line);
    var text = document.createElement("span");
    text.textContent = t.label;
    transferText[t.certainty] = text;
    row.appendChild(svg); row.appendChild(text);
    transferLegend.appendChild(row);
  });

  /* edges drawn only while one of their ends is selected (the decisions assigning a function) */
  var quiet = data.edges.filter(function (e) { return e.quiet; });
  function reveal(ids) {
    if (!quiet.length) { return; }
    var on = {};
    ids.forEach(function (id) { on[id] = true; });
    edges.update(quiet.map(function (e) { return { id: e.id, hidden: !(on[e.from] || on[e.to]) }; }));
  }
  network.on("select", function (p) { reveal(p.nodes); });

  /* information panel */
  var info = document.getElementById("info");
  var panel = document.getElementById("panel");
  /* a node's own page, as `tttt-kg site` writes it and `tttt-kg serve` answers it (../id/….html
     from the views' folder); the prefixes are graph/prefixes.py's for the base's IRIs */
  var PAGES = { "id:": "id/", "fn:": "id/function/", "doctype:": "id/doctype/", "orgtype:": "id/orgtype/",
                "changetype:": "id/changetype/", "certainty:": "id/certainty/" };
  function pageOf(id) {
    var prefix = String(id).split(":")[0] + ":";
    return PAGES[prefix] ? "../" + PAGES[prefix] + String(id).slice(prefix.length).split("#")[0] + ".html" : null;
  }
  /* a node's whole name in the page's language (the drawn label may be cut to two lines) */
  function fullName(id) {
    var n = nodes.get(id);
    return n.name || n.label;
  }
  function show(id) {
    var n = nodes.get(id);
    info.textContent = n ? n.title : "";
    var page = n ? pageOf(n.id) : null;
    if (page) {
      var a = document.createElement("a");
      a.href = page;
      a.textContent = "\n→ " + n.id;
      info.appendChild(a);
    }
  }
  view.show = show;
  network.on("click", function (p) { if (p.nodes.length) { show(p.nodes[0]); } });

  /* search tolerant of tone placement, missing diacritics and abbreviations */
  var input = document.getElementById("search");
  var results = document.getElementById("results");
  var status = document.getElementById("search-status");
  function select(id) {
    network.selectNodes([id]);
    reveal([id]);
    show(id);
  }
  function search(text) {
    var key = tkgSearchKey(text, data.abbreviations);
    results.textContent = "";
    if (!key) { status.textContent = ""; network.unselectAll(); reveal([]); return []; }
    /* every resource, drawn or not: picking one that is not drawn draws it */
    var hits = data.nodes.filter(function (n) { return n.key.indexOf(key) !== -1; });
    /* best first: a name that is the typed text, then one that starts with it, then shorter names */
    function rank(n) {
      var names = n.key.split(" | ");
      if (names.indexOf(key) !== -1) { return 0; }
      return names.some(function (k) { return k.indexOf(key) === 0; }) ? 1 : 2;
    }
    hits.sort(function (a, b) { return rank(a) - rank(b) || a.label.length - b.label.length || (a.id < b.id ? -1 : 1); });
    status.textContent = strings().found.replace("{n}", String(hits.length));
    var drawn = hits.filter(function (n) { return !nodes.get(n.id).hidden; }).map(function (n) { return n.id; });
    network.selectNodes(drawn);
    reveal(drawn);
    hits.slice(0, 50).forEach(function (n) {
      var li = document.createElement("li");
      li.textContent = fullName(n.id);
      li.dataset.id = n.id;
      li.tabIndex = 0;
      function pick() {
        if (nodes.get(n.id).hidden) { nodes.update({ id: n.id, hidden: false }); }
        network.focus(n.id, { scale: 1.2, animation: false });
        select(n.id);
      }
      li.addEventListener("click", pick);
      li.addEventListener("keydown", function (e) { if (e.key === "Enter") { pick(); } });
      results.appendChild(li);
    });
    if (hits.length) { show(hits[0].id); }
    return hits;
  }
  view.search = search;
  input.addEventListener("input", function () { search(input.value); });

  /* keyboard: Tab into the drawing, arrows go from node to node in reading order, Enter shows it */
  var focused = null;
  function order() {
    var pos = network.getPositions();
    return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; })
      .sort(function (a, b) { return (pos[a].x - pos[b].x) || (pos[a].y - pos[b].y) || (a < b ? -1 : 1); });
  }
  container.addEventListener("keydown", function (e) {
    var ids = order();
    if (!ids.length) { return; }
    var i = focused === null ? -1 : ids.indexOf(focused);
    if (e.key === "ArrowRight" || e.key === "ArrowDown") { i = Math.min(ids.length - 1, i + 1); }
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") { i = Math.max(0, i < 0 ? 0 : i - 1); }
    else if (e.key === "Home") { i = 0; }
    else if (e.key === "End") { i = ids.length - 1; }
    else if (e.key === "Enter" && focused !== null) { select(focused); e.preventDefault(); return; }
    else if (e.key === "Escape") { focused = null; network.unselectAll(); reveal([]); return; }
    else { return; }
    e.preventDefault();
    focused = ids[i];
    view.focused = focused;
    network.selectNodes([focused]);
    reveal([focused]);
    container.setAttribute("aria-label", strings().network + ": " + fullName(focused).replace(/\n/g, " "));
  });

  /* the side panel folds away on a narrow screen */
  var toggle = document.getElementById("panel-toggle");
  toggle.addEventListener("click", function () {
    var open = !panel.classList.contains("open");
    panel.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  /* one click switches the page between Vietnamese and English */
  function setLanguage(lang) {
    var own = lang === data.lang;
    view.lang = lang;
    nodes.update(data.nodes.map(function (n) {
      var t = own || !n.alt ? n : n.alt;
      return { id: n.id, label: t.label, title: t.title, name: t.name };
    }));
    edges.update(data.edges.map(function (e) {
      var t = own || !e.alt ? e : e.alt;
      return { id: e.id, label: t.label || "", title: t.title };
    }));
    var s = strings(), t = texts();
    document.documentElement.lang = lang;
    if (t.title) { document.title = t.title; document.getElementById("page-title").textContent = t.title; }
    if (t.intro !== undefined) { document.getElementById("intro").textContent = t.intro; }
    document.getElementById("hint").textContent = s.hint;
    document.getElementById("index-link").textContent = s.index;
    var button = document.getElementById("lang-switch");
    button.textContent = s.switch;
    button.lang = lang === data.lang ? data.other.lang : data.lang;
    input.placeholder = s.search;
    toggle.textContent = s.panel;
    document.getElementById("legend-title").textContent = s.legend;
    document.getElementById("info-title").textContent = s.info;
    document.querySelector("#unsure-note span:last-child").textContent = s.unsure;
    document.getElementById("transfer-title").textContent = s.transfers;
    capped.textContent = cappedText();
    (data.transfers || []).forEach(function (t) { transferText[t.certainty].textContent = own ? t.label : t.alt; });
    document.getElementById("keys-note").textContent = s.keys;
    container.setAttribute("aria-label", s.network);
    data.classes.forEach(function (c) { legendText[c.key].textContent = (own ? c.label : c.alt) + " (" + c.count + ")"; });
    if (input.value) { search(input.value); }
    var selected = network.getSelectedNodes();
    if (selected.length === 1) { show(selected[0]); }
    settle();
  }
  view.setLanguage = setLanguage;
  document.getElementById("lang-switch").addEventListener("click", function () {
    setLanguage(view.lang === data.lang ? data.other.lang : data.lang);
  });
})();
