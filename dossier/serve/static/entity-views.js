// The entity page's timeline (vis-timeline) and network view (cytoscape), both served from this server.
// Their data is fetched once from the address the page names (data-views: /id/<slug>/views), so the page
// itself stays light; each quote comes once in it and items and edges name theirs by number. Every item
// opens its quotes in a side panel, built with textContent only.
(function () {
  "use strict";

  // Loads one of this server's scripts (a library the views need) and resolves when it has run.
  function script(src) {
    return new Promise(function (resolve, reject) {
      const tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(tag);
    });
  }

  // Shows what a view section says once its data is in: a count, its drawing or why there is none.
  function settle(sectionId, count, drawn, emptyText) {
    const section = document.getElementById(sectionId);
    if (!section) return;
    section.querySelectorAll(".view-count").forEach(function (c) { c.textContent = count; });
    section.querySelectorAll("[data-when-drawn]").forEach(function (n) { n.hidden = !drawn; });
    const waiting = section.querySelector(".waiting");
    if (waiting) {
      waiting.textContent = emptyText;
      waiting.hidden = drawn;
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function link(text, href) {
    if (!href) return el("span", null, text);
    const a = el("a", null, text);
    a.href = href;
    return a;
  }

  const panel = document.getElementById("quotes-panel");

  // Opens the side panel: a title (a link to the item's page when it has one) and each quote in its context.
  function showQuotes(title, href, quotes) {
    if (!panel) return;
    const heading = panel.querySelector(".panel-title");
    heading.replaceChildren(link(title, href));
    const body = panel.querySelector(".panel-body");
    body.replaceChildren();
    if (!quotes.length) body.appendChild(el("p", "none", "No quote recorded for this item."));
    quotes.forEach(function (q) {
      const block = el("blockquote", "quote");
      block.appendChild(el("span", "context", "…" + (q.prefix || "")));
      block.appendChild(el("mark", null, q.exact));
      block.appendChild(el("span", "context", (q.suffix || "") + "…"));
      body.appendChild(block);
      const cite = el("p", "claim");
      if (q.fact) {
        cite.appendChild(link(q.fact, q.factHref));
        cite.appendChild(document.createTextNode(" · "));
      }
      cite.appendChild(document.createTextNode("source: "));
      cite.appendChild(link(q.source, q.sourceHref));
      if (q.claimant) cite.appendChild(document.createTextNode(" · claimed by " + q.claimant));
      body.appendChild(cite);
    });
    panel.hidden = false;
  }

  if (panel) {
    panel.querySelector(".close").addEventListener("click", function () { panel.hidden = true; });
  }

  // -- timeline ------------------------------------------------------------------------------
  function drawTimeline(timeline, quotesOf) {
    const timelineBox = document.getElementById("timeline");
    if (!timelineBox || !window.vis) return;
    const byId = {};
    const items = timeline.items.map(function (item) {
      byId[item.id] = item;
      const content = el("span", null, item.date + " · " + item.content);
      return {
        id: item.id,
        start: item.start,
        type: "point",
        content: content,
        title: item.date + " · " + item.content,
        className: "kind-" + item.kind.toLowerCase().replace(/[^a-z]+/g, "-"),
      };
    });
    // The window spans every item, with a year's margin, so that one item alone is not shown by the hour.
    const starts = timeline.items.map(function (i) { return new Date(i.start).getTime(); });
    const year = 365 * 24 * 3600 * 1000;
    const view = new vis.Timeline(timelineBox, items, {
      start: new Date(Math.min.apply(null, starts) - year),
      end: new Date(Math.max.apply(null, starts) + year),
      stack: true,
      maxHeight: 420,
      zoomKey: "ctrlKey",
      selectable: true,
      showTooltips: false,
      orientation: "top",
    });
    view.on("select", function (props) {
      const item = byId[props.items[0]];
      if (item) showQuotes(item.date + " · " + item.content, item.href, quotesOf(item.quotes));
    });
    window.dossierTimeline = view;
  }

  // -- network -------------------------------------------------------------------------------
  function drawNetwork(network, quotesOf) {
    const networkBox = document.getElementById("network");
    if (!networkBox || !window.cytoscape) return;
    const edgesById = {};
    const nodesById = {};
    const elements = [];
    network.nodes.forEach(function (n) {
      nodesById[n.id] = n;
      elements.push({ data: { id: n.id, label: n.label, kind: n.kind, hop: n.hop } });
    });
    network.edges.forEach(function (e) {
      edgesById[e.id] = e;
      elements.push({ data: { id: e.id, source: e.source, target: e.target, label: e.label, kind: e.kind } });
    });
    const cy = cytoscape({
      container: networkBox,
      elements: elements,
      wheelSensitivity: 0.3,
      minZoom: 0.2,
      maxZoom: 1.4,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 110, "background-color": "#7f93ad", width: 18, height: 18, color: "#1d2430" } },
        { selector: "node[hop = 0]", style: { "background-color": "#c0392b", width: 30, height: 30, "font-weight": "bold", "font-size": 12 } },
        { selector: 'node[kind = "Event"]', style: { shape: "round-rectangle", "background-color": "#e0a800" } },
        { selector: 'node[kind = "Person"]', style: { "background-color": "#2e86c1" } },
        { selector: 'node[kind = "Place"]', style: { shape: "diamond", "background-color": "#27ae60" } },
        { selector: "edge", style: { width: 1.5, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.8, "font-size": 9, color: "#1d2430", "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.85, "line-color": "#9aa7b8", "target-arrow-color": "#9aa7b8", opacity: 0.8 } },
        { selector: "edge:selected, edge.near", style: { label: "data(label)", opacity: 1, width: 3 } },
        { selector: 'edge[kind = "participation"]', style: { "line-color": "#e0a800", "target-arrow-color": "#e0a800" } },
        { selector: 'edge[kind = "designation"]', style: { "line-color": "#c0392b", "target-arrow-color": "#c0392b", width: 2.5 } },
        { selector: 'edge[kind = "statement"]', style: { "line-color": "#2e86c1", "target-arrow-color": "#2e86c1" } },
        { selector: 'edge[kind = "claim"]', style: { "line-color": "#8e44ad", "target-arrow-color": "#8e44ad", "line-style": "dashed", width: 2.5 } },
        { selector: ":selected", style: { "overlay-color": "#1f5fa8", "overlay-opacity": 0.25 } },
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 400000; }, idealEdgeLength: function () { return 110; }, nodeOverlap: 20, gravity: 0.3, numIter: 1500, padding: 20 },
    });
    cy.on("tap", "edge", function (evt) {
      const e = edgesById[evt.target.id()];
      const from = nodesById[e.source], to = nodesById[e.target];
      showQuotes(from.label + " — " + e.label + " — " + to.label, null, quotesOf(e.quotes));
    });
    // Hovering a node names the lines that meet it.
    cy.on("mouseover", "node", function (evt) { evt.target.connectedEdges().addClass("near"); });
    cy.on("mouseout", "node", function (evt) { evt.target.connectedEdges().removeClass("near"); });
    cy.on("tap", "node", function (evt) {
      const n = nodesById[evt.target.id()];
      const numbers = [];
      network.edges.forEach(function (e) {
        if (e.source === n.id || e.target === n.id) e.quotes.forEach(function (q) { if (numbers.indexOf(q) < 0) numbers.push(q); });
      });
      showQuotes(n.label, n.href, quotesOf(numbers));
    });
    window.dossierNetwork = cy;
  }

  // -- loading -------------------------------------------------------------------------------
  const article = document.querySelector("[data-views]");
  if (!article) return;
  fetch(article.getAttribute("data-views"), { headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) throw new Error("the views' data answered " + r.status);
      return r.json();
    })
    .then(function (views) {
      const quotesOf = function (numbers) { return numbers.map(function (n) { return views.quotes[n]; }); };
      const items = views.timeline.items, network = views.network;
      const drawn = [];
      if (items.length) drawn.push(script("/static/vis-timeline/vis-timeline-graph2d.min.js").then(function () { drawTimeline(views.timeline, quotesOf); }));
      if (network.edges.length) drawn.push(script("/static/cytoscape/cytoscape.min.js").then(function () { drawNetwork(network, quotesOf); }));
      const capMessage = document.querySelector("#network-view .cap-message");
      if (capMessage && network.message) {
        capMessage.textContent = network.message;
        capMessage.hidden = false;
      }
      settle("timeline-view", items.length + " dated item" + (items.length === 1 ? "" : "s"), items.length > 0, "No dated fact refers to it.");
      settle("network-view", network.nodes.length + " node" + (network.nodes.length === 1 ? "" : "s"), network.edges.length > 0, "No fact links it to another entity.");
      document.querySelectorAll("nav.views .view-count").forEach(function (c) {
        c.textContent = c.getAttribute("data-view") === "timeline" ? items.length : network.nodes.length;
      });
      return Promise.all(drawn).then(function () {
        // an address naming a view (#timeline-view) was scrolled to before the view had its height: again now
        const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
        if (target && target.classList.contains("view")) target.scrollIntoView();
      });
    })
    .catch(function (err) {
      document.querySelectorAll(".view .waiting").forEach(function (w) { w.textContent = "The view could not be loaded: " + err.message; });
    });
})();
