// The query page: YASGUI on this server's /sparql, one tab per example query (queries/*.rq).
// Served from the project itself; it makes no request to any other host.
(function () {
  "use strict";
  const examples = JSON.parse(document.getElementById("examples").textContent);
  const endpoint = new URL("/sparql", window.location.href).href;

  // The class and property autocompleters ask a vocabulary service on the internet: keep them off.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];

  // Result cells: a Dossier IRI opens this server's page in the same tab (not the public IRI, dead
  // offline); literals show their text alone (no quotes, language tag or datatype); long text wraps.
  const base = document.getElementById("query-config") ? JSON.parse(document.getElementById("query-config").textContent).base : "";
  const Table = Yasgui.Yasr.plugins.table;
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function localPath(iri) {
    return base && iri.indexOf(base) === 0 && iri.length > base.length ? "/" + iri.slice(base.length) : null;
  }
  Table.defaults.openIriInNewWindow = false;
  Table.prototype.getUriLinkFromBinding = function (binding) {
    const iri = binding.value;
    const local = localPath(iri);
    if (local) return "<a class='iri local' href='" + escapeHtml(local) + "'>" + escapeHtml(local.slice(1)) + "</a>";
    return "<a class='iri' target='_blank' rel='noopener noreferrer' href='" + escapeHtml(iri) + "'>" + escapeHtml(iri) + "</a>";
  };
  Table.prototype.formatLiteral = function (binding) {
    return escapeHtml(binding.value);
  };
  const draw = Table.prototype.draw;
  Table.prototype.draw = function (config) {
    return draw.call(this, Object.assign({ isEllipsed: false }, config));
  };

  // A tab is named by the query's title (its first line), cut to fit; the editor shows it whole.
  function tabName(title) {
    return title.length > 36 ? title.slice(0, 35).replace(/\s+\S*$/, "") + "…" : title;
  }
  const first = examples[0];
  // A share link carries its query in the URL (#query=...): YASGUI opens it in the active tab, which
  // must then be left as it is (read now: YASGUI clears the fragment once it has read it).
  const shared = /(^|[#&?])query=/.test(window.location.hash.slice(1)) || /(^|[?&])query=/.test(window.location.search);
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    persistenceId: null,
    tabName: first ? tabName(first.title) : "Query",
    yasqe: { value: first ? first.query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10" },
    yasr: { prefixes: {} },
  });

  const tab = yasgui.getTab();
  if (first && !shared) {
    tab.setName(tabName(first.title));
    tab.setQuery(first.query);
  }
  examples.slice(1).forEach(function (example) {
    yasgui.addTab(false, {
      ...Yasgui.Tab.getDefaults(),
      name: tabName(example.title),
      requestConfig: { endpoint: endpoint, method: "POST" },
      yasqe: { value: example.query },
    });
  });
  window.dossierYasgui = yasgui;
})();
