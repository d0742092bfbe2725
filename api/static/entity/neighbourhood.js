// The neighbourhood view of an entity page (api/neighbourhood.py): the JSON of data-src drawn with
// cytoscape.js, node colours and shapes and line styles taken from the legend that the page shows.
(() => {
  "use strict";
  const box = document.getElementById("neighbourhood-graph");
  const depth = document.getElementById("neighbourhood-depth");
  const note = document.getElementById("neighbourhood-note");
  if (!box || typeof cytoscape === "undefined") return;
  const kinds = {};
  document.querySelectorAll("#neighbourhood [data-kind]").forEach((li) => {
    kinds[li.dataset.kind] = {colour: li.dataset.colour, shape: li.dataset.shape};
  });
  const lines = {};
  document.querySelectorAll("#neighbourhood [data-relation]").forEach((li) => {
    lines[li.dataset.relation] = {colour: li.dataset.colour, line: li.dataset.line};
  });
  const other = {colour: "#dddddd", shape: "ellipse"};
  let cy = null;

  // each ring in the order of the nodes it hangs from on the ring inside it: fewer crossing lines
  function ordered(graph) {
    const place = new Map(), depthOf = new Map(graph.nodes.map((n) => [n.id, n.depth]));
    const links = new Map(graph.nodes.map((n) => [n.id, []]));
    graph.edges.forEach((e) => { links.get(e.source).push(e.target); links.get(e.target).push(e.source); });
    const rings = [];
    graph.nodes.forEach((n) => { (rings[n.depth] = rings[n.depth] || []).push(n); });
    rings.forEach((ring, depth) => {
      const inner = (n) => Math.min(...links.get(n.id).filter((m) => depthOf.get(m) === depth - 1)
                                                        .map((m) => place.get(m)), Infinity);
      ring.map((n, i) => [inner(n), i, n]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
          .forEach(([, , n], i) => place.set(n.id, i));
      ring.sort((a, b) => place.get(a.id) - place.get(b.id));
    });
    return rings.flat();
  }

  function elements(graph) {
    const nodes = ordered(graph).map((n) => {
      const look = kinds[n.kind] || other;
      return {data: {id: n.id, label: n.label, title: n.title, page: n.page, depth: n.depth,
                     colour: look.colour, shape: look.shape}, classes: n.depth === 0 ? "entity" : ""};
    });
    const edges = graph.edges.map((e, i) => {
      const look = lines[e.relation] || {colour: "#8a8a8a", line: "solid"};
      return {data: {id: `e${i}`, source: e.source, target: e.target, relation: e.relation, line: look.line,
                     colour: look.colour}};
    });
    return nodes.concat(edges);
  }

  const style = [
    {selector: "node", style: {
      "background-color": "data(colour)", "shape": "data(shape)", "width": 24, "height": 24,
      "border-width": 1, "border-color": "#444", "label": "data(label)", "font-size": 12, "color": "#1a1a1a",
      "font-family": "system-ui, sans-serif", "text-valign": "bottom", "text-margin-y": 4,
      "text-wrap": "ellipsis", "text-max-width": "140px", "text-background-color": "#ffffff",
      "text-background-opacity": 0.85, "text-background-padding": "1px", "min-zoomed-font-size": 6}},
    {selector: "node.entity", style: {"width": 38, "height": 38, "border-width": 3, "border-color": "#1a1a1a",
                                      "font-size": 14, "font-weight": "bold"}},
    {selector: "edge", style: {
      "width": 1.8, "line-color": "data(colour)", "line-style": "data(line)", "curve-style": "bezier",
      "target-arrow-shape": "triangle", "target-arrow-color": "data(colour)", "arrow-scale": 0.9}},
    {selector: "node:active, node:selected", style: {"overlay-opacity": 0.15}},
  ];

  async function draw() {
    const url = new URL(box.dataset.src, window.location.href);
    url.searchParams.set("depth", depth.value);
    box.dataset.state = "loading";
    let graph;
    try {
      const answer = await fetch(url, {headers: {Accept: "application/json"}});
      if (!answer.ok) throw new Error(`${answer.status}`);
      graph = await answer.json();
    } catch (error) {
      note.textContent = box.dataset.failed;
      box.dataset.state = "failed";
      return;
    }
    if (cy) cy.destroy();
    cy = cytoscape({
      container: box, elements: elements(graph), style, wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 3,
    });
    // rings: the entity in the middle, each link further out; then widened to the box's shape, so that the
    // labels of a wide view stay readable
    const rings = Math.max(...graph.nodes.map((n) => n.depth));
    cy.layout({name: "concentric", concentric: (node) => rings - node.data("depth"), levelWidth: () => 1,
               minNodeSpacing: 40, fit: false, animate: false}).run();
    const widen = Math.max(1, Math.min(2.2, box.clientWidth / box.clientHeight));
    cy.nodes().positions((node) => ({x: node.position("x") * widen, y: node.position("y")}));
    cy.fit(undefined, 36);
    cy.on("tap", "node", (event) => {
      const page = event.target.data("page");
      if (page && event.target.data("depth") > 0) window.location.href = page;
    });
    cy.on("mouseover", "node", (event) => { box.title = event.target.data("title"); });
    cy.on("mouseout", "node", () => { box.title = ""; });
    note.textContent = graph.note;
    box.dataset.nodes = String(cy.nodes().length);
    box.dataset.state = "drawn";
    window.ecokgNeighbourhood = cy;
  }

  depth.addEventListener("change", draw);
  draw();
})();
