/* policykg network page. Reads the model from #pk-data, draws it with vis-network, and wires
 * search, filters, legend, language switch, tooltip and the details panel.
 * Security: every DOM write uses textContent or createElement; no HTML strings, no node "title"
 * (vis would render it as HTML), links only to site-relative or http(s) URLs.
 */
(function () {
  "use strict";

  var timings = { start: performance.now() };
  var data = JSON.parse(document.getElementById("pk-data").textContent);
  timings.parsed = performance.now();
  var legend = data.legend;
  var state = { lang: data.lang, focusSet: null, selected: null };
  var kindStyle = {}, statusInfo = {}, relInfo = {}, evidenceInfo = {};
  legend.kinds.forEach(function (k) { kindStyle[k.key] = k; });
  legend.statuses.forEach(function (s) { statusInfo[s.key] = s; });
  legend.relations.forEach(function (r) { relInfo[r.key] = r; });
  legend.evidence.forEach(function (e) { evidenceInfo[e.key] = e; });

  var byId = {}, adjacency = {}, edgeById = {};
  var hiddenNode = {}, hiddenEdge = {};   // what vis currently hides, so filters send only changes
  data.nodes.forEach(function (n) { byId[n.id] = n; adjacency[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    if (adjacency[e.from]) { adjacency[e.from].push(e); }
    if (adjacency[e.to]) { adjacency[e.to].push(e); }
  });

  function $(id) { return document.getElementById(id); }
  function t(key) { return data.ui[state.lang][key] || data.ui.ja[key] || key; }
  function named(info, key) { return info ? (info[state.lang] || info.ja) : key; }
  function label(n) { return (state.lang === "en" && n.label.en) || n.label.ja; }
  function short(text) { return text.length > 28 ? text.slice(0, 27) + "…" : text; }
  function el(tag, text, className) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) { x.textContent = String(text); }
    if (className) { x.className = className; }
    return x;
  }
  function safeHref(url) { return typeof url === "string" && /^(\/(?!\/)|https?:\/\/)/.test(url) ? url : null; }
  function normalize(text) { return String(text).normalize("NFKC").replace(/[\s\u3000]+/g, "").toLowerCase(); }

  var GROUP_EDGE_LABELS = 300;
  function isGroup(n) { return n.kind.indexOf("group_") === 0; }
  function visLabel(n) { return isGroup(n) ? short(label(n)) + " (" + n.count + ")" : short(label(n)); }
  function nodeColor(n) {
    if (n.kind === "indicator") { return n.status && statusInfo[n.status] ? statusInfo[n.status].color : legend.noStatusColor; }
    return kindStyle[n.kind].color;
  }
  function visNode(n) {
    var color = nodeColor(n), style = kindStyle[n.kind];
    var v = {
      id: n.id, label: visLabel(n), shape: style.shape, level: n.level,
      size: isGroup(n) ? n.size : Math.min(style.size, legend.maxNodeSize),
      color: { background: color, border: "#2c3e50", highlight: { background: color, border: "#000000" } },
      font: { size: style.font, color: "#1c2833", strokeWidth: 2, strokeColor: "#ffffff" }
    };
    if (n.x !== undefined) { v.x = n.x; v.y = n.y; }
    return v;
  }
  function visEdge(e) {
    if (e.ev === "group") {    // links between two groups (or a node and a group): a count, width by log
      // the count as a label only while few links are drawn (labels cost layout time; hover always tells)
      return { id: e.id, from: e.from, to: e.to, label: data.edges.length <= GROUP_EDGE_LABELS ? String(e.count) : undefined,
               font: { size: 12 },
               width: Math.min(1 + Math.log2(e.count), 8), color: { color: "#85929e", highlight: "#000000" } };
    }
    var inferred = e.ev === "inferred";
    var rel = relInfo[e.rel];
    return {
      id: e.id, from: e.from, to: e.to, dashes: inferred,
      label: inferred && e.score !== null && e.score !== undefined ? e.score.toFixed(2) : undefined,
      width: e.ev === "structure" ? 1 : (data.large ? 1.5 : 2.5),
      color: { color: rel ? rel.color : "#2874a6", highlight: "#000000" }
    };
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var network = new vis.Network($("pk-network"), { nodes: nodes, edges: edges }, data.options);
  timings.network = performance.now();

  /* ---------- first view: everything inside the canvas, labels readable or hidden ---------- */
  var FIT_MARGIN = 0.9;          // fit, then zoom out 10%: a margin so no node or label touches the edge
  var LINE_CHARS = 6, LABEL_MIN_WRAP = 180;   // a wrapped label keeps at least 6 characters a line
  var BOOST_NODES = 60;          // up to this many nodes shown (viz.layout.SPACIOUS_NODES), every label is enlarged
  function shownIds() { return data.nodes.filter(function (n) { return !hiddenNode[n.id]; }).map(function (n) { return n.id; }); }
  function fitView(ids) {
    network.fit({ nodes: ids, animation: false });
    network.moveTo({ scale: network.getScale() * FIT_MARGIN, animation: false });
  }
  /* Fit the shown nodes, then give labels a font that is at least minLabelPx on screen at that
     scale (all labels when few are shown, the plans/pillars/areas otherwise), refitting since bigger
     labels take room. Labels still smaller than that are not drawn (vis drawThreshold): hover shows them. */
  var ROLE_ORDER = ["group_national", "group_jurisdiction", "group_plan", "group_area", "group_other", "plan", "pillar_group", "area", "pillar", "national_item", "direction", "measure",
                    "indicator", "roadmap_row", "phase"];
  function textWidth(text, font) {      // canvas units; a kanji/kana is about one em, Latin about 0.6
    var w = 0;
    for (var i = 0; i < text.length; i++) { w += text.charCodeAt(i) < 0x2e80 ? 0.6 : 1; }
    return w * font;
  }
  /* With many nodes shown, labels are enlarged by role (plans first, then pillar groups, areas,
     pillars, …) only where the label does not overlap one already enlarged: the rest show on hover. */
  function roleLabels(ids, font, wrap) {
    var placed = [], chosen = {}, positions = network.getPositions(ids);
    ROLE_ORDER.forEach(function (kind) {
      ids.forEach(function (id) {
        var n = byId[id];
        if (n.kind !== kind) { return; }
        var width = textWidth(short(label(n)), font), lines = Math.ceil(width / wrap);
        // generous: vis breaks lines at its own places, so allow one line and one character more
        var w = Math.min(width, wrap) + font, h = (lines + 1) * font, p = positions[id], top = p.y + kindStyle[kind].size;
        var box = { left: p.x - w / 2, right: p.x + w / 2, top: top, bottom: top + h };
        var clash = placed.some(function (b) { return box.left < b.right && b.left < box.right && box.top < b.bottom && b.top < box.bottom; });
        if (!clash) { placed.push(box); chosen[id] = true; }
      });
    });
    return chosen;
  }
  function readableView(ids) {
    if (!ids.length) { return; }
    network.setSize();    // take the canvas's current size now (the panel may just have opened), not on vis's next resize check
    var boostAll = ids.length <= BOOST_NODES, fonts = {};
    var wrap = (data.options.nodes.widthConstraint || {}).maximum;
    function enlarge(scale) {
      var want = Math.ceil(legend.minLabelPx / scale), changes = [];
      var chosen = boostAll ? null : roleLabels(ids, want, Math.max(wrap || LABEL_MIN_WRAP, want * LINE_CHARS));
      ids.forEach(function (id) {
        var base = kindStyle[byId[id].kind].font, size = (!chosen || chosen[id]) ? Math.max(base, want) : base;
        if (size !== (fonts[id] || base)) {
          fonts[id] = size;
          var change = { id: id, font: { size: size, color: "#1c2833", strokeWidth: 2, strokeColor: "#ffffff" } };
          if (wrap) { change.widthConstraint = { maximum: Math.max(wrap, size * LINE_CHARS) }; }
          changes.push(change);
        }
      });
      if (changes.length) { nodes.update(changes); }
      return changes.length;
    }
    // Bigger labels take room, so fit again; wrapped labels keep this converging in a few rounds.
    // Node positions do not depend on fonts: the last enlargement never moves a node off the canvas.
    for (var round = 0; round < 6; round++) {
      fitView(ids);
      if (!enlarge(network.getScale())) { break; }
    }
    document.body.dataset.scale = String(network.getScale());
  }

  function markReady() {
    if (document.body.dataset.ready === "1") { return; }
    network.setOptions({ physics: false });
    if (data.focus && byId[data.focus]) { select(data.focus, { keepView: true }); }
    readableView(shownIds());
    document.body.dataset.ready = "1";
    window.pkViz.readyAt = timings.ready = performance.now();
  }
  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", markReady);
    network.once("stabilized", markReady);
  } else {
    network.once("afterDrawing", markReady);
  }

  /* ---------- tooltip (our own element, text only) ---------- */
  var tooltip = $("pk-tooltip");
  function showTooltip(text, pointer) {
    var box = $("pk-network").getBoundingClientRect();
    tooltip.textContent = text;
    tooltip.style.left = (box.left + pointer.x + 14) + "px";
    tooltip.style.top = (box.top + pointer.y + 14) + "px";
    tooltip.hidden = false;
  }
  network.on("hoverNode", function (p) {
    var n = byId[p.node];
    var text = label(n) + "\n" + named(kindStyle[n.kind], n.kind);
    if (isGroup(n)) { text += "\n" + t("groupMembers") + ": " + n.count; }
    showTooltip(text, p.pointer.DOM);
  });
  network.on("hoverEdge", function (p) {
    var e = edgeById[p.edge];
    if (e.ev === "group") { showTooltip(t("groupLinks") + ": " + e.count, p.pointer.DOM); return; }
    var text = named(relInfo[e.rel], e.rel) + " — " + named(evidenceInfo[e.ev], e.ev);
    if (e.score !== null && e.score !== undefined) { text += "\n" + t("score") + ": " + e.score.toFixed(2); }
    showTooltip(text, p.pointer.DOM);
  });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("blurEdge", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });

  /* ---------- details panel ---------- */
  var panel = $("pk-panel");
  function section(title) { panel.appendChild(el("h3", title)); var ul = el("ul"); panel.appendChild(ul); return ul; }
  function nodeButton(id) {
    var b = el("button", label(byId[id]), "pk-link-button");
    b.type = "button";
    b.addEventListener("click", function () { select(id); });
    return b;
  }
  function link(text, url) {
    var href = safeHref(url);
    if (!href) { return null; }
    var a = el("a", text); a.href = href; a.rel = "noopener";
    return a;
  }
  function renderGroupPanel(n) {
    var ul = section(t("groupMembers"));
    ul.appendChild(el("li", t("nodeTotal") + ": " + n.count));
    legend.kinds.forEach(function (k) {
      if (n.counts[k.key]) { ul.appendChild(el("li", named(k, k.key) + ": " + n.counts[k.key])); }
    });
    var around = adjacency[n.id].filter(function (e) { return byId[e.from] && byId[e.to]; });
    if (around.length) {
      var con = section(t("groupLinks"));
      around.slice(0, 50).forEach(function (e) {
        var otherId = e.from === n.id ? e.to : e.from;
        var li = el("li", (e.from === n.id ? "→ " : "← "));
        li.appendChild(nodeButton(otherId)); li.appendChild(el("span", " " + e.count));
        con.appendChild(li);
      });
    }
    var actions = el("div", null, "pk-actions");
    if (data.grouped && data.grouped.url) {
      var expandBtn = el("button", t("expand")); expandBtn.type = "button"; expandBtn.id = "pk-panel-expand";
      expandBtn.addEventListener("click", function () { expand(n.id); });
      actions.appendChild(expandBtn);
    }
    var alone = link(t("groupAlone"), n.detail);
    if (alone) { alone.id = "pk-group-alone"; actions.appendChild(alone); }
    panel.appendChild(actions);
  }
  function renderPanel() {
    var n = state.selected && byId[state.selected];
    panel.replaceChildren();
    if (!n) { panel.hidden = true; return; }
    panel.hidden = false;
    var close = el("button", t("close"), "pk-link-button"); close.type = "button"; close.id = "pk-panel-close";
    close.addEventListener("click", function () { state.selected = null; network.unselectAll(); renderPanel(); });
    panel.appendChild(close);
    var title = el("h2", label(n)); title.id = "pk-panel-title"; panel.appendChild(title);
    var badge = el("span", named(kindStyle[n.kind], n.kind), "pk-kind-badge");
    badge.style.background = kindStyle[n.kind].color; badge.id = "pk-panel-kind";
    panel.appendChild(badge);
    var other = state.lang === "en" ? n.label.ja : n.label.en;
    if (other && other !== label(n)) { panel.appendChild(el("p", t("otherLabel") + ": " + other, "pk-muted")); }
    if (isGroup(n)) { renderGroupPanel(n); return; }
    if (n.alt.length) { var alts = section(t("altLabels")); n.alt.forEach(function (a) { alts.appendChild(el("li", a)); }); }
    if (n.kind === "indicator") {
      var st = section(t("status"));
      st.appendChild(el("li", n.status && statusInfo[n.status] ? named(statusInfo[n.status], n.status) : t("noStatus")));
    }
    if (n.loc.length) {
      var src = section(t("source"));
      n.loc.forEach(function (l) {
        var parts = [];
        if (l.slide !== null) { parts.push(t("slide") + " " + l.slide); }
        if (l.section) { parts.push(l.section); }
        if (l.line !== null) { parts.push(t("line") + " " + l.line); }
        src.appendChild(el("li", parts.join(" / ")));
      });
    }
    var aligned = adjacency[n.id].filter(function (e) { return e.ev !== "structure" && e.ev !== "group"; });
    if (aligned.length) {
      var al = section(t("alignments"));
      aligned.forEach(function (e) {
        var li = el("li");
        var otherId = e.from === n.id ? e.to : e.from;
        li.appendChild(el("span", (e.from === n.id ? "→ " : "← ")));
        if (byId[otherId]) { li.appendChild(nodeButton(otherId)); }
        var meta = named(relInfo[e.rel], e.rel) + " / " + named(evidenceInfo[e.ev], e.ev);
        if (e.score !== null && e.score !== undefined) { meta += " / " + t("score") + " " + e.score.toFixed(2); }
        li.appendChild(el("div", meta, "pk-muted"));
        var why = e.rationale && (e.rationale[state.lang] || e.rationale.ja || e.rationale.en);
        if (why) { li.appendChild(el("div", t("rationale") + ": " + why)); }
        al.appendChild(li);
      });
    }
    var structural = adjacency[n.id].filter(function (e) { return e.ev === "structure" || e.ev === "group"; });
    if (structural.length) {
      var con = section(t("connections"));
      structural.slice(0, 50).forEach(function (e) {
        var otherId = e.from === n.id ? e.to : e.from;
        var rel = e.ev === "group" ? t("groupLinks") + " " + e.count : named(relInfo[e.rel], e.rel);
        var li = el("li", rel + (e.from === n.id ? " → " : " ← "));
        li.appendChild(nodeButton(otherId));
        con.appendChild(li);
      });
    }
    var links = [link(t("entityPage"), n.url), link(t("trace"), n.trace), link(t("supporters"), n.supporters)]
      .filter(function (a) { return a; });
    if (links.length) { var ls = section(t("links")); links.forEach(function (a) { var li = el("li"); li.appendChild(a); ls.appendChild(li); }); }
    var actions = el("div", null, "pk-actions");
    var hops = el("input"); hops.type = "number"; hops.min = "0"; hops.max = "6"; hops.value = "1"; hops.id = "pk-hops";
    hops.setAttribute("aria-label", t("hops"));
    var focusBtn = el("button", t("focus")); focusBtn.type = "button"; focusBtn.id = "pk-focus";
    focusBtn.addEventListener("click", function () { focusOn(n.id, parseInt(hops.value, 10) || 0); });
    var allBtn = el("button", t("showAll")); allBtn.type = "button"; allBtn.id = "pk-show-all";
    allBtn.addEventListener("click", function () { state.focusSet = null; applyFilters(); readableView(shownIds()); });
    actions.appendChild(el("span", t("hops"))); actions.appendChild(hops); actions.appendChild(focusBtn); actions.appendChild(allBtn);
    panel.appendChild(actions);
  }

  function select(id, how) {
    if (!byId[id]) { return; }
    if (hiddenNode[id]) { state.focusSet = null; resetControls(); applyFilters(); }
    state.selected = id;
    document.body.dataset.selected = id;
    network.selectNodes([id]);
    if (!(how && how.keepView)) { network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false }); }
    renderPanel();
  }
  network.on("click", function (p) {
    if (!p.nodes.length) { return; }
    var n = byId[p.nodes[0]];
    if (n && isGroup(n) && data.grouped && data.grouped.url) { expand(n.id); } else { select(p.nodes[0]); }
  });

  /* ---------- groups: expand one in place (members fetched from the server, bounded) ---------- */
  function groupStatus(text) { var box = $("pk-group-status"); if (box) { box.textContent = text; } }
  function addEdge(e) {
    if (edgeById[e.id] || !byId[e.from] || !byId[e.to]) { return null; }
    edgeById[e.id] = e; data.edges.push(e);
    adjacency[e.from].push(e); adjacency[e.to].push(e);
    return visEdge(e);
  }
  function dropNode(id) {
    var gone = {};
    adjacency[id].forEach(function (e) {
      gone[e.id] = true; delete edgeById[e.id]; delete hiddenEdge[e.id];
      var other = e.from === id ? e.to : e.from;
      if (other !== id && adjacency[other]) {
        adjacency[other] = adjacency[other].filter(function (x) { return x.id !== e.id; });
      }
    });
    data.edges = data.edges.filter(function (e) { return !gone[e.id]; });
    edges.remove(Object.keys(gone));
    data.nodes = data.nodes.filter(function (n) { return n.id !== id; });
    delete byId[id]; delete adjacency[id]; delete hiddenNode[id];
    nodes.remove(id);
  }
  function mergeMembers(groupId, answer) {
    var origin = network.getPositions([groupId])[groupId] || { x: 0, y: 0 };
    dropNode(groupId);
    var added = [], newEdges = [], memberIds = {};
    answer.nodes.forEach(function (n) {
      memberIds[n.id] = true;
      if (byId[n.id]) { return; }
      n.x += origin.x; n.y += origin.y;
      byId[n.id] = n; adjacency[n.id] = []; data.nodes.push(n); added.push(n);
    });
    nodes.add(added.map(visNode));
    makeRoom(added);
    answer.edges.forEach(function (e) { var v = addEdge(e); if (v) { newEdges.push(v); } });
    var counted = {};
    answer.links.forEach(function (e) {
      var member = memberIds[e.from] ? e.from : e.to, other = member === e.from ? e.to : e.from;
      if (byId[other]) { var v = addEdge(e); if (v) { newEdges.push(v); } return; }
      if (!byId[e.group]) { return; }
      var from = member === e.from ? member : e.group, to = member === e.from ? e.group : member;
      var id = "gl:" + from + "|" + to;
      if (edgeById[id]) { edgeById[id].count += 1; counted[id] = true; return; }
      var agg = addEdge({ id: id, from: from, to: to, rel: "group", ev: "group", count: 1, score: null });
      if (agg) { counted[id] = true; }
    });
    Object.keys(counted).forEach(function (id) { newEdges.push(visEdge(edgeById[id])); });
    edges.update(newEdges);
    return added.map(function (n) { return n.id; });
  }
  /* Nodes already drawn where the expanded members now sit move sideways out of the members' box. */
  function makeRoom(added) {
    if (!added.length) { return; }
    var margin = 80, box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity }, mine = {};
    added.forEach(function (n) {
      mine[n.id] = true;
      box.left = Math.min(box.left, n.x - margin); box.right = Math.max(box.right, n.x + margin);
      box.top = Math.min(box.top, n.y - margin); box.bottom = Math.max(box.bottom, n.y + margin);
    });
    var ids = data.nodes.filter(function (n) { return !mine[n.id]; }).map(function (n) { return n.id; });
    var positions = network.getPositions(ids), moves = [];
    ids.forEach(function (id) {
      var p = positions[id];
      if (!p || p.x < box.left || p.x > box.right || p.y < box.top || p.y > box.bottom) { return; }
      var x = (p.x - box.left < box.right - p.x) ? box.left - margin - (p.x - box.left) / 4
                                                 : box.right + margin + (box.right - p.x) / 4;
      moves.push({ id: id, x: x, y: p.y });
    });
    if (moves.length) { nodes.update(moves); }
  }
  function fillGroups() {
    var box = $("pk-group");
    if (!box) { return; }
    var current = box.value;
    box.replaceChildren();
    data.nodes.filter(isGroup).forEach(function (n) {
      var o = el("option", label(n) + " (" + n.count + ")"); o.value = n.id; box.appendChild(o);
    });
    if (current && byId[current]) { box.value = current; }
    $("pk-expand").disabled = !box.options.length || !(data.grouped && data.grouped.url);
  }
  function expand(groupId) {
    var n = byId[groupId];
    if (!n || !isGroup(n) || !data.grouped || !data.grouped.url || state.expanding) { return; }
    state.expanding = true;
    document.body.dataset.expanding = "1";
    groupStatus(t("expanding"));
    var url = data.grouped.url + (data.grouped.url.indexOf("?") >= 0 ? "&" : "?") + "group=" + encodeURIComponent(n.key);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        if (!answer.ok || !answer.body.ok) { throw new Error(answer.body && answer.body.error ? answer.body.error : ""); }
        var ids = mergeMembers(groupId, answer.body);
        if (state.selected === groupId) { state.selected = null; renderPanel(); }
        buildControls(); fillGroups(); applyFilters(); readableView(ids.length ? ids : shownIds());
        var text = t("expanded") + ": " + label(n) + " (" + answer.body.shown + " / " + answer.body.total + ")";
        if (answer.body.truncated) { text += " — " + t("partlyShown"); }
        groupStatus(text);
        var done = (document.body.dataset.expanded || "").split(" ").filter(Boolean);
        done.push(n.key); document.body.dataset.expanded = done.join(" ");
      })
      .catch(function (err) { groupStatus(t("expandFailed") + (err && err.message ? ": " + err.message : "")); })
      .then(function () { state.expanding = false; document.body.dataset.expanding = "0"; });
  }
  if ($("pk-expand")) {
    $("pk-expand").addEventListener("click", function () { expand($("pk-group").value); });
  }

  /* ---------- focus: n-hop neighbourhood ---------- */
  function neighbourhood(id, hops) {
    var seen = {}; seen[id] = true;
    var frontier = [id];
    for (var i = 0; i < hops; i++) {
      var next = [];
      frontier.forEach(function (cur) {
        adjacency[cur].forEach(function (e) {
          var other = e.from === cur ? e.to : e.from;
          if (!seen[other] && byId[other]) { seen[other] = true; next.push(other); }
        });
      });
      frontier = next;
    }
    return seen;
  }
  function focusOn(id, hops) {
    state.focusSet = neighbourhood(id, hops);
    applyFilters();
    readableView(shownIds());
  }

  /* ---------- filters ---------- */
  function fillSelect(box, items) {
    var current = box.value;
    box.replaceChildren();
    var all = el("option", t("all")); all.value = ""; box.appendChild(all);
    items.forEach(function (n) { var o = el("option", label(n)); o.value = n.id; box.appendChild(o); });
    box.value = current;
  }
  function checkboxes(container, items, prefix) {
    container.replaceChildren();
    items.forEach(function (item) {
      var lab = el("label", null, "pk-check");
      var box = el("input"); box.type = "checkbox"; box.checked = true; box.value = item.key; box.id = prefix + item.key;
      box.addEventListener("change", applyFilters);
      lab.appendChild(box); lab.appendChild(el("span", " " + named(item, item.key)));
      container.appendChild(lab);
    });
  }
  function checkedSet(container) {
    var set = {};
    container.querySelectorAll("input:checked").forEach(function (b) { set[b.value] = true; });
    return set;
  }
  function buildControls() {
    var keep = { kinds: uncheckedSet($("pk-kinds")), ev: uncheckedSet($("pk-evidence")) };
    var presentKinds = {};
    data.nodes.forEach(function (n) { presentKinds[n.kind] = true; });
    checkboxes($("pk-kinds"), legend.kinds.filter(function (k) { return presentKinds[k.key]; }), "pk-kind-");
    checkboxes($("pk-evidence"), legend.evidence.filter(function (e) { return e.key !== "structure"; }), "pk-ev-");
    restore($("pk-kinds"), keep.kinds); restore($("pk-evidence"), keep.ev);
    fillSelect($("pk-plan"), data.nodes.filter(function (n) { return n.kind === "plan"; }));
    fillSelect($("pk-area"), data.nodes.filter(function (n) { return n.kind === "area"; }));
  }
  function uncheckedSet(container) {
    var set = {};
    container.querySelectorAll("input:not(:checked)").forEach(function (b) { set[b.value] = true; });
    return set;
  }
  function restore(container, unchecked) {     // kinds that appear later (an expanded group) start checked
    container.querySelectorAll("input").forEach(function (b) { b.checked = !unchecked[b.value]; });
  }
  function resetControls() {
    document.querySelectorAll("#pk-controls input[type=checkbox]").forEach(function (b) { b.checked = true; });
    $("pk-plan").value = ""; $("pk-area").value = ""; $("pk-min-score").value = "0";
  }
  function applyFilters() {
    var kinds = checkedSet($("pk-kinds")), evs = checkedSet($("pk-evidence"));
    var plan = $("pk-plan").value, area = $("pk-area").value;
    var minScore = parseFloat($("pk-min-score").value) || 0;
    var visible = {}, nodeUpdates = [], edgeUpdates = [], shownNodes = 0, shownEdges = 0;
    data.nodes.forEach(function (n) {
      var ok = kinds[n.kind] &&
        (!plan || n.id === plan || n.plans.indexOf(plan) >= 0) &&
        (!area || !n.areas.length || n.areas.indexOf(area) >= 0) &&
        (!state.focusSet || state.focusSet[n.id]);
      if (ok) { visible[n.id] = true; shownNodes++; }
      if (!ok !== !!hiddenNode[n.id]) { hiddenNode[n.id] = !ok; nodeUpdates.push({ id: n.id, hidden: !ok }); }
    });
    data.edges.forEach(function (e) {
      var ok = visible[e.from] && visible[e.to] &&
        (e.ev === "structure" || e.ev === "group" || (evs[e.ev] && (e.ev !== "inferred" || (e.score || 0) >= minScore)));
      if (ok) { shownEdges++; }
      if (!ok !== !!hiddenEdge[e.id]) { hiddenEdge[e.id] = !ok; edgeUpdates.push({ id: e.id, hidden: !ok }); }
    });
    // Only changed items go to vis: a full update of 20,000 nodes costs seconds.
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    var count = t("shown") + ": " + shownNodes + " " + t("nodes") + " / " + shownEdges + " " + t("edges");
    if (data.grouped) { count += " (" + t("nodeTotal") + " " + data.grouped.nodes + " " + t("nodes") + ")"; }
    $("pk-count").textContent = count;
    document.body.dataset.visibleNodes = String(shownNodes);
  }
  ["pk-plan", "pk-area", "pk-min-score"].forEach(function (id) { $(id).addEventListener("change", applyFilters); });
  $("pk-reset").addEventListener("click", function () { state.focusSet = null; resetControls(); applyFilters(); });

  /* ---------- legend ---------- */
  function renderLegend() {
    var box = $("pk-legend");
    box.replaceChildren();
    function row(color, text, line, dashed, shape) {
      var r = el("div", null, "pk-legend-row");
      var sw = el("span", null, line ? "pk-line" : "pk-swatch");
      if (shape) { sw.dataset.shape = shape; }      // drawn by CSS; the text is the kind's name only
      if (line) { sw.style.borderTopColor = color; sw.style.borderTopStyle = dashed ? "dashed" : "solid"; }
      else { sw.style.background = color; }
      r.appendChild(sw); r.appendChild(el("span", text)); box.appendChild(r);
    }
    box.appendChild(el("h3", t("kinds")));
    legend.kinds.forEach(function (k) { row(k.color, named(k, k.key), false, false, k.shape); });
    box.appendChild(el("h3", t("evidence")));
    legend.evidence.forEach(function (e) { row("#566573", named(e, e.key), true, e.dashes); });
    box.appendChild(el("h3", t("relations")));
    legend.relations.forEach(function (r) { row(r.color, named(r, r.key), true, false); });
    box.appendChild(el("h3", t("statuses")));
    legend.statuses.forEach(function (s) { row(s.color, named(s, s.key), false, false); });
    row(legend.noStatusColor, t("noStatus"), false, false);
  }

  /* ---------- search ---------- */
  function search(query) {
    var q = normalize(query);
    var result = $("pk-search-result");
    if (!q) { result.textContent = ""; return []; }
    var exact = [], partial = [];
    data.nodes.forEach(function (n) {
      if (n.search.indexOf(q) >= 0) { exact.push(n); }
      else if (n.search.some(function (k) { return k.indexOf(q) >= 0; })) { partial.push(n); }
    });
    var hits = exact.length ? exact : partial;
    result.replaceChildren();
    if (!hits.length) { result.textContent = t("noMatch"); return []; }
    select(hits[0].id);
    if (hits.length > 1) {
      result.appendChild(el("span", t("candidates") + " " + hits.length + ": "));
      hits.slice(0, 8).forEach(function (n) { result.appendChild(nodeButton(n.id)); result.appendChild(el("span", " ")); });
    }
    return hits.map(function (n) { return n.id; });
  }
  $("pk-search").addEventListener("submit", function (ev) { ev.preventDefault(); search($("pk-search-input").value); });

  /* ---------- language ---------- */
  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(function (x) { x.textContent = t(x.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (x) { x.placeholder = t(x.dataset.i18nPlaceholder); });
    document.title = t("title");
    nodes.update(data.nodes.map(function (n) { return { id: n.id, label: visLabel(n) }; }));
    buildControls(); fillGroups(); renderLegend(); renderPanel(); applyFilters();
  }
  $("pk-lang").addEventListener("click", function () { state.lang = state.lang === "ja" ? "en" : "ja"; applyLanguage(); });

  window.pkViz = { network: network, nodes: nodes, edges: edges, data: data, select: select, search: search,
                   focusOn: focusOn, expand: expand, readyAt: null, timings: timings };
  buildControls(); fillGroups(); renderLegend(); applyFilters();
}());
