// The board's celebrations: goals, prizes, goals reached and tombola draws, queued
// and shown one at a time over the board.
//
// The board owns the scenes; it hands this module the push frames' events and tells
// it which season is on screen. A season's goal shows only while that season's
// table is on screen, since a goal over another season's table reads as a goal there.
"use strict";

window.Celebrations = (function () {
  // board: { config, latest() -> state, seasonOf(id) -> league, shown() -> season id }
  function create(board) {
    const t = board.config.strings;
    const K = Live.kinds(board.config);
    const queue = [];
    let celebrating = false;

    function replace(id, ...children) {
      document.getElementById(id).replaceChildren(...children);
    }

    function onScreen(season) {
      return season === undefined || season === board.shown();
    }

    function push(events) {
      for (const event of events) {
        if (!onScreen(event.season)) continue;
        if (event.kind === K.goal) queue.push({ season: event.season, title: t.goal, text: `${event.minute}' · ${clubName(event)} · ${event.score.join(" : ")}` });
        else if (event.kind === K.goal_disallowed) queue.push({ season: event.season, title: t.disallowed, text: `${clubName(event)} · ${event.reason}` });
        else if (event.kind === K.prize) queue.push({ title: t.prize, text: event.prize });
        else if (event.kind === K.goal_reached) queue.push({ title: t.goal_reached, text: event.title });
        else if (event.kind === K.tombola_drawn) {
          const latest = board.latest();
          const drum = (latest && latest.tombolas.find((x) => x.tombola === event.tombola)) || { entrants: [], winners: [], name: "" };
          queue.push({ title: `${t.tombola} · ${drum.name}`, text: `${t.winners}: ${drum.winners.join(", ")}`, spin: drum.entrants });
        }
      }
      // A burst (a screen joining mid-rush) would queue minutes of celebrations: keep the latest.
      if (queue.length > 3) queue.splice(0, queue.length - 3);
      next();
    }

    // The season on screen changed: a goal queued for another season is dropped.
    function seasonChanged() {
      queue.splice(0, queue.length, ...queue.filter((item) => onScreen(item.season)));
    }

    function clubName(event) {
      const league = board.seasonOf(event.season);
      return league && league.clubs[event.club] ? league.clubs[event.club].name : event.club;
    }

    function next() {
      if (celebrating || !queue.length) return;
      celebrating = true;
      const { season, title, text, spin } = queue.shift();
      const overlay = document.getElementById("celebration");
      overlay.dataset.season = season || "";
      replace("celebration-title", title);
      replace("celebration-text", spin && spin.length ? spin[0] : text);
      overlay.hidden = false;
      overlay.classList.remove("pop");
      void overlay.offsetWidth;
      overlay.classList.add("pop");
      if (board.config.sound) beep();
      let shownFor = 4000;
      if (spin && spin.length) {
        // The drum turns through the entrants, slowing down, and stops on the winners.
        let delay = 60, elapsed = 0, index = 0;
        const turn = () => {
          if (elapsed > 3000) { replace("celebration-text", text); return; }
          index = (index + 1) % spin.length;
          replace("celebration-text", spin[index]);
          elapsed += delay;
          delay *= 1.12;
          setTimeout(turn, delay);
        };
        turn();
        shownFor = 8000;
      }
      setTimeout(() => { overlay.hidden = true; celebrating = false; next(); }, shownFor);
    }

    function beep() {
      try {
        const audio = new AudioContext();
        const tone = audio.createOscillator();
        tone.frequency.value = 880;
        tone.connect(audio.destination);
        tone.start();
        tone.stop(audio.currentTime + 0.3);
      } catch (error) { /* no audio on this screen */ }
    }

    return { push, seasonChanged };
  }

  return { create };
})();
