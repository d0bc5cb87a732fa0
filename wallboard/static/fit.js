// Fitting a panel's content to its box: the largest text that shows everything,
// down to the board's smallest size; below that a more compact form, then fewer
// rows. Nothing is ever cut off at an edge or left to overflow another panel.
//
// A box (class "fit") hides its overflow, so its scroll size says whether its
// content fits: the box is measured, never guessed from the number of rows.
"use strict";

window.Fit = (function () {
  // A size of the board's type scale (a CSS custom property such as --type-min) in px.
  function px(name) {
    const probe = document.createElement("span");
    probe.style.fontSize = `var(${name})`;
    probe.style.position = "absolute";
    probe.style.visibility = "hidden";
    document.body.append(probe);
    const size = parseFloat(getComputedStyle(probe).fontSize);
    probe.remove();
    return size;
  }

  function fits(box) {
    return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;
  }

  // The largest font size in [min, max] at which the box shows all it holds.
  function size(box, min, max) {
    box.style.fontSize = `${max}px`;
    if (fits(box)) return true;
    box.style.fontSize = `${min}px`;
    if (!fits(box)) return false;
    let low = min, high = max;
    while (high - low > 0.5) {
      const middle = (low + high) / 2;
      box.style.fontSize = `${middle}px`;
      if (fits(box)) low = middle; else high = middle;
    }
    box.style.fontSize = `${low}px`;
    return true;
  }

  // Draws into `box` and fits it. options:
  //   min, max   font sizes in px
  //   count      how many items there are
  //   draw(count, mode) -> nodes: the first `count` items in the given mode
  //   modes      from the fullest to the most compact (default: one)
  //   keep       in every mode but the last, show at least this many items before
  //              trying the next mode (default: all of them)
  // In the last mode, items are left out from the end until the rest fits.
  function fit(box, options) {
    const modes = options.modes || [""];
    const count = options.count;
    for (let m = 0; m < modes.length; m++) {
      const last = m === modes.length - 1;
      const floor = last ? Math.min(1, count) : Math.min(options.keep ?? count, count);
      box.dataset.mode = modes[m];
      for (let n = count; n >= floor; n--) {
        box.replaceChildren(...options.draw(n, modes[m]));
        if (size(box, options.min, options.max)) return n;
        if (n === 0) break;
      }
    }
    return 0;
  }

  return { px, fit, size, fits };
})();
