/* The query page of `tttt-kg serve`: YASGUI (bundled in ./yasgui/) set up for this server only.
 * Configuration comes from /query-page/config.json (graph/server/query_page.py): the endpoint, the project's
 * prefixes, one tab per named query, the ontology's classes and properties for autocompletion.
 * Nothing here calls another host: the prefix and vocabulary look-ups YASGUI would make (prefix.cc,
 * Linked Open Vocabularies) are replaced by the lists the server sends, and the page's CSP allows
 * requests to this server only. Result cells are escaped here, so a label with markup stays text. */
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  var status = document.getElementById("page-status");
  if (!root || typeof window.Yasgui === "undefined") return;   // the plain form stays in use
  var Yasgui = window.Yasgui, Yasqe = Yasgui.Yasqe, Yasr = Yasgui.Yasr;

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function start(cfg) {
    var endpoint = window.location.origin + cfg.endpoint;
    var prefixLines = Object.keys(cfg.prefixes).map(function (p) { return p + ": <" + cfg.prefixes[p] + ">"; });

    // autocompletion from the server's lists, never from a remote service
    Yasqe.forkAutocompleter("prefixes", { name: "tkgPrefixes", get: prefixLines, bulk: true, persistenceId: null });
    Yasqe.forkAutocompleter("class", { name: "tkgClass", get: cfg.terms.classes, bulk: true, autoShow: true,
                                       persistenceId: null });
    Yasqe.forkAutocompleter("property", { name: "tkgProperty", get: cfg.terms.properties, bulk: true,
                                          autoShow: true, persistenceId: null });
    Yasqe.defaults.autocompleters = ["tkgPrefixes", "variables", "tkgClass", "tkgProperty"];
    Yasqe.defaults.prefixCcApi = null;

    // result links: an IRI of the graph opens its DESCRIBE (or its /id/ page), a citation its passage
    function link(iri) {
      var base = cfg.base, m;
      if (iri.indexOf(base) === 0 && (m = /^([^#]*)#span-\d+-\d+$/.exec(iri)) && cfg.cite) {
        return { kind: "cite", node: m[1],
                 href: "/queries/source-passage/run?format=csv&node=" + encodeURIComponent(m[1]) };
      }
      if (iri.indexOf(base) === 0 || iri.indexOf("ni:///") === 0) {
        if (cfg.resourceView && iri.indexOf(base + "id/") === 0) {
          return { kind: "resource", href: "/" + iri.slice(base.length) };
        }
        return { kind: "describe",
                 href: cfg.endpoint + "?format=turtle&query=" + encodeURIComponent("DESCRIBE <" + iri + ">") };
      }
      return { kind: "external", href: iri };
    }
    var Table = Yasr.plugins.table;
    Table.defaults.openIriInNewWindow = false;
    Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      var iri = binding.value, shown = iri, p;
      for (p in prefixes || {}) {
        if (prefixes[p] && iri.indexOf(prefixes[p]) === 0) { shown = p + ":" + iri.slice(prefixes[p].length); break; }
      }
      var to = link(iri);
      var ext = to.kind === "external" ? ' target="_blank" rel="noopener noreferrer"' : "";
      return '<a class="iri tkg-' + to.kind + '" href="' + esc(to.href) + '" data-iri="' + esc(iri) + '"' + ext +
             ">" + esc(shown === iri ? "<" + iri + ">" : shown) + "</a>";
    };

    var yasgui = new Yasgui(root, {
      persistenceId: "tttt-kg-" + cfg.lang + "-" + cfg.version,
      requestConfig: { endpoint: endpoint, method: "POST" },
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
      copyEndpointOnNewTab: true, populateFromUrl: false, autoAddOnInit: false, corsProxy: undefined,
      tabName: cfg.newTabName,
      yasqe: { value: cfg.defaultQuery, prefixCcApi: null },
      yasr: { prefixes: cfg.prefixes, defaultPlugin: "table" }
    });
    if (!yasgui.persistentConfig.getTabs().length) {   // a first visit (or a new catalogue): the tabs
      yasgui.addTab(true, { id: "query", name: cfg.newTabName, yasqe: { value: cfg.defaultQuery } });
      cfg.tabs.forEach(function (t) { yasgui.addTab(false, { id: t.id, name: t.name, yasqe: { value: t.query } }); });
    }

    function openTab(name, text) {
      var tab = yasgui.addTab(true, { name: name, yasqe: { value: text } });
      tab = tab && tab.getYasqe ? tab : yasgui.getTab();
      tab.getYasqe().query();
    }
    root.addEventListener("click", function (ev) {
      var a = ev.target.closest && ev.target.closest("a.tkg-describe, a.tkg-cite");
      if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      var iri = a.getAttribute("data-iri"), to = link(iri);
      if (to.kind === "cite") {
        openTab("cite " + a.textContent, cfg.cite.split(cfg.citePlaceholder).join("<" + to.node + ">"));
      } else {
        openTab("DESCRIBE " + a.textContent, "DESCRIBE <" + iri + ">\n");
      }
    });
    document.documentElement.classList.add("yasgui-ready");
    window.tkgQueryPage = { yasgui: yasgui, config: cfg };
  }

  fetch(root.getAttribute("data-config"), { headers: { "Accept": "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status + " " + r.statusText); return r.json(); })
    .then(start)
    .catch(function (e) { if (status) status.textContent = "YASGUI: " + e; });
})();
