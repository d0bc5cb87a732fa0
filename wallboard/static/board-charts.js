// The board's charts: the season's points race and today's sales by hour, each site
// in its one colour (the state's `sites` and a league's `clubs` carry it), whole
// matchdays and hours on the axes, units named, text no smaller than the board's.
"use strict";

window.BoardCharts = (function () {
  const OPTIONS = { staticPlot: true, responsive: true };

  // Plotly reads a few HTML tags and entities in a trace's name ("<b>", "&amp;"):
  // escaped, a name is shown as it was written.
  function plotText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // A whole step for about `ticks` ticks up to `top`: 1, 2, 5, 10, 20, 50, ...
  function wholeStep(top, ticks) {
    const rough = Math.max(1, top / ticks);
    const power = 10 ** Math.floor(Math.log10(rough));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
    return Math.max(1, step);
  }

  function layout(config, sizes, x, y) {
    const style = getComputedStyle(document.body);
    const colour = (name) => style.getPropertyValue(name).trim();
    const font = { family: style.fontFamily, color: colour("--text"), size: sizes.min };
    const axis = (extra) => ({
      gridcolor: colour("--line"), linecolor: colour("--line"), zeroline: false,
      automargin: true, fixedrange: true, tickfont: font,
      title: { text: plotText(extra.title), font, standoff: sizes.min / 2 }, ...extra.axis });
    return {
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", font,
      // The page's language writes the numbers: 1.234 in German, 1,234 in English.
      separators: config.lang === "de" ? ",." : ".,",
      margin: { t: sizes.min / 2, r: sizes.min, b: sizes.min / 2, l: sizes.min / 2 },
      showlegend: false,
      xaxis: axis(x), yaxis: axis(y),
    };
  }

  // The season's points race: a line per club, by whole matchday.
  function race(league, config, sizes) {
    const t = config.strings;
    const clubs = league ? Object.entries(league.race) : [];
    const days = Math.max(1, ...clubs.map(([, points]) => points.length));
    const top = Math.max(1, ...clubs.flatMap(([, points]) => points));
    const traces = clubs.map(([club, points]) => ({
      type: "scatter", mode: "lines+markers", legendgroup: club,
      x: points.map((_, i) => i + 1), y: points, name: plotText(league.clubs[club].name),
      line: { color: league.clubs[club].colour, width: Math.max(3, sizes.min / 6) },
      marker: { color: league.clubs[club].colour, size: sizes.min / 3 },
    }));
    Plotly.react("chart-race", traces, layout(config, sizes,
      { title: t.matchday, axis: { tickmode: "linear", tick0: 1, dtick: wholeStep(days, 10),
        range: [0.7, days + 0.3] } },
      { title: t.points_unit, axis: { tickmode: "linear", tick0: 0, dtick: wholeStep(top, 5),
        rangemode: "tozero", tickformat: ",d" } }), OPTIONS);
  }

  // Today's sales per site by local hour, stacked, each site in its colour.
  function hours(state, config, sizes) {
    const t = config.strings;
    const sites = Object.entries(state.sales_by_hour);
    const top = Math.max(1, ...Array.from({ length: 24 }, (_, h) =>
      sites.reduce((sum, [, counts]) => sum + (counts[h] || 0), 0)));
    const traces = sites.map(([site, counts]) => ({
      type: "bar", legendgroup: site, x: counts.map((_, h) => h), y: counts,
      name: plotText(state.sites[site] ? state.sites[site].name : site),
      marker: { color: state.sites[site] ? state.sites[site].colour : undefined },
    }));
    // Every hour that has room for its label ("21 h", "21 Uhr"), every third at most.
    const width = document.getElementById("chart-hours").clientWidth - 4 * sizes.min;
    const label = `21${t.hour_suffix}`.length * sizes.min * 0.65;
    const every = [3, 4, 6, 12].find((hours) => (hours * width) / 24 > label * 1.15) || 12;
    const hoursShown = Array.from({ length: Math.floor(23 / every) }, (_, n) => (n + 1) * every);
    Plotly.react("chart-hours", traces, {
      ...layout(config, sizes,
        // From the first step on: "0 h" would sit on the count axis's "0".
        { title: t.hour_of_day, axis: { tickmode: "array", tickvals: hoursShown,
          ticktext: hoursShown.map((hour) => `${hour}${t.hour_suffix}`), range: [-0.5, 23.5] } },
        { title: t.sales_unit, axis: { tickmode: "linear", tick0: 0, dtick: wholeStep(top, 5),
          rangemode: "tozero", tickformat: ",d" } }),
      barmode: "stack", bargap: 0.15 }, OPTIONS);
  }

  // The sites the charts show, each with its colour: the league's clubs in table
  // order first, then the other sites that sold today.
  function key(state, league) {
    const entries = [];
    const seen = new Set();
    const add = (id, name, colour) => {
      if (seen.has(id)) return;
      seen.add(id);
      entries.push({ id, name, colour });
    };
    if (league) {
      for (const row of league.table) add(row.club, league.clubs[row.club].name, league.clubs[row.club].colour);
    }
    for (const site of Object.keys(state.sales_by_hour)) {
      const known = state.sites[site];
      add(site, known ? known.name : site, known ? known.colour : "");
    }
    return entries;
  }

  return { race, hours, key, plotText };
})();
