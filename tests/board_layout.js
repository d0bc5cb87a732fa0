// What a board's page shows wrong, from the DOM's boxes: text outside the viewport,
// cut off by a box that hides its overflow, over other text, or smaller than the
// least size (px at 1080p, scaled to the viewport); panels outside the viewport or
// over each other; a fitted box holding more than it shows. The celebration's
// overlay is left out: it covers the board by design, for a moment.
(minimum) => {
  const W = innerWidth, H = innerHeight, slack = 1;
  const problems = [];
  const celebration = document.getElementById("celebration");
  const shown = (node) => node.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
    && !(celebration && celebration.contains(node));
  const inside = (r, box) => r.left >= box.left - slack && r.right <= box.right + slack
    && r.top >= box.top - slack && r.bottom <= box.bottom + slack;
  const viewport = { left: 0, top: 0, right: W, bottom: H };
  const name = (node) => {
    const text = (node.textContent || "").trim().slice(0, 40);
    return `${node.tagName.toLowerCase()}${node.id ? "#" + node.id : ""}`
      + `${node.className && node.className.baseVal === undefined && node.className ? "." + String(node.className).split(" ")[0] : ""} "${text}"`;
  };
  // Every piece of text, with its line boxes.
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const owner = node.parentElement;
    if (!node.data.trim() || !owner || !shown(owner) || owner.closest("script, style, title")) continue;
    let rects;
    if (owner instanceof SVGElement) rects = [owner.getBoundingClientRect()];
    else {
      const range = document.createRange();
      range.selectNodeContents(node);
      rects = [...range.getClientRects()];
    }
    rects = rects.filter((r) => r.width > 0.5 && r.height > 0.5);
    if (!rects.length) continue;
    texts.push({ node, owner, rects });
    const size = parseFloat(getComputedStyle(owner).fontSize) * 1080 / H;
    if (size < minimum - 0.25) problems.push(`too small (${size.toFixed(1)} px at 1080p): ${name(owner)}`);
    for (const r of rects) {
      if (!inside(r, viewport)) problems.push(`outside the viewport: ${name(owner)}`);
      // Cut off by a box that hides its overflow?
      for (let box = owner; box && box !== document.body; box = box.parentElement) {
        const style = getComputedStyle(box);
        if (style.overflowX === "visible" && style.overflowY === "visible") continue;
        if (!inside(r, box.getBoundingClientRect())) problems.push(`cut off by ${name(box)}: ${name(owner)}`);
        break;
      }
    }
  }
  // Text over text.
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      for (const a of texts[i].rects) for (const b of texts[j].rects) {
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 2 && y > 2) problems.push(`overlap: ${name(texts[i].owner)} and ${name(texts[j].owner)}`);
      }
    }
  }
  // Panels: on screen, apart from each other, showing all they hold.
  const panels = [...document.querySelectorAll(".board-header, .panel, .ticker, #chart-key")].filter(shown);
  panels.forEach((panel, i) => {
    const r = panel.getBoundingClientRect();
    if (!inside(r, viewport)) problems.push(`panel outside the viewport: ${name(panel)}`);
    panels.slice(i + 1).forEach((other) => {
      if (panel.contains(other) || other.contains(panel)) return;
      const o = other.getBoundingClientRect();
      const x = Math.min(r.right, o.right) - Math.max(r.left, o.left);
      const y = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
      if (x > 1 && y > 1) problems.push(`panels overlap: ${name(panel)} and ${name(other)}`);
    });
  });
  for (const box of document.querySelectorAll(".fit, h1, .panel h2")) {
    if (!shown(box)) continue;
    if (box.scrollHeight > box.clientHeight + slack || box.scrollWidth > box.clientWidth + slack) {
      problems.push(`holds more than it shows: ${name(box)}`);
    }
  }
  return [...new Set(problems)];
}
