"""The board's sounds, synthesised: ``python -m wallboard.sounds`` writes them to
``static/sounds/<kind>.wav``, where they are committed.

One short sound per kind of moment (``pages.SOUNDS``): a horn for a goal, a bell
arpeggio for a prize, a drum roll and a chord for a tombola draw, a fanfare for a
season won. They are made here from sine waves and seeded noise rather than taken
from a sound library, so the project owns them and anyone can make them again.
Mono, 8 bits at 11,025 samples a second: a TV's speaker plays nothing finer, and
each file stays between 9 and 20 KB.
"""

from __future__ import annotations

import io
import math
import random
import wave
from collections.abc import Callable, Iterable
from pathlib import Path

RATE = 11_025
#: the loudest sample, as a share of full scale: headroom for a TV's small speaker
PEAK = 0.85
#: fade in and out over this long, so that no sound starts or stops with a click
FADE_S = 0.006
FOLDER = Path(__file__).resolve().parent / "static" / "sounds"

Tone = Callable[[float], float]


def brass(frequency: float) -> Tone:
    """A horn-like tone: odd and even harmonics falling off, a slow vibrato."""

    def tone(t: float) -> float:
        # The vibrato moves the phase: the pitch swings 0.4 % either way, 5.5 times a second.
        wobble = -0.004 / 5.5 * math.cos(2 * math.pi * 5.5 * t)
        return sum(
            math.sin(2 * math.pi * frequency * n * (t + wobble)) / math.pow(n, 1.3)
            for n in range(1, 7)
            if frequency * n < RATE / 2
        )

    return tone


def bell(frequency: float) -> Tone:
    """A struck bell: the fundamental and an inharmonic partial that dies faster."""

    def tone(t: float) -> float:
        return math.exp(-3.5 * t) * (
            math.sin(2 * math.pi * frequency * t)
            + 0.35 * math.exp(-6 * t) * math.sin(2 * math.pi * frequency * 2.76 * t)
        )

    return tone


def envelope(t: float, length: float, attack: float = 0.02, release: float = 0.08) -> float:
    """Rise over ``attack``, hold, fall over the last ``release`` seconds."""
    if t < 0 or t > length:
        return 0.0
    return min(1.0, t / attack, (length - t) / release)


def render(length: float, voices: Iterable[tuple[float, float, Tone]]) -> list[float]:
    """Samples for ``length`` seconds of ``voices``: (start, duration, tone) each."""
    samples = [0.0] * int(length * RATE)
    for start, duration, tone in voices:
        first = int(start * RATE)
        for n in range(first, min(len(samples), first + int(duration * RATE))):
            t = n / RATE - start
            samples[n] += tone(t) * envelope(t, duration)
    return samples


def noise(length: float, seed: int, hits: Iterable[tuple[float, float]]) -> list[float]:
    """Seeded, smoothed noise struck at each (time, loudness): a drum or a crowd."""
    rng = random.Random(seed)
    samples = [0.0] * int(length * RATE)
    for at, loudness in hits:
        smooth = 0.0
        for n in range(int(at * RATE), min(len(samples), int((at + 0.25) * RATE))):
            smooth = 0.6 * smooth + 0.4 * rng.uniform(-1, 1)
            samples[n] += loudness * smooth * math.exp(-18 * (n / RATE - at))
    return samples


def goal() -> list[float]:
    # Two horn blasts a fourth apart, over a short swell of crowd noise.
    horn = render(0.85, [(0.0, 0.16, brass(440.0)), (0.18, 0.6, brass(587.33))])
    crowd = noise(0.85, 1, ((0.05 * k, 0.10 + 0.02 * k) for k in range(14)))
    return [h + c for h, c in zip(horn, crowd, strict=True)]


def prize() -> list[float]:
    # A rising C major arpeggio on bells.
    notes = (523.25, 659.25, 783.99, 1046.5)
    return render(0.9, [(0.09 * k, 0.9 - 0.09 * k, bell(f)) for k, f in enumerate(notes)])


def tombola() -> list[float]:
    # A drum roll that speeds up, then a chord with a cymbal.
    hits, at, gap = [], 0.0, 0.085
    while at < 0.95:
        hits.append((at, 0.35 + 0.4 * at))
        at, gap = at + gap, max(0.035, gap * 0.93)
    roll = noise(1.6, 2, [*hits, (1.0, 0.9)])
    chord = render(1.6, [(1.0, 0.6, brass(f)) for f in (261.63, 329.63, 392.0)])
    return [r + c / 3 for r, c in zip(roll, chord, strict=True)]


def season() -> list[float]:
    # A fanfare: three rising notes, then the chord held.
    notes = [(0.0, 0.14, 392.0), (0.16, 0.14, 523.25), (0.32, 0.14, 659.25)]
    held = [(0.5, 1.1, f) for f in (523.25, 659.25, 783.99)]
    return render(1.7, [(start, length, brass(f)) for start, length, f in notes + held])


SYNTHS: dict[str, Callable[[], list[float]]] = {
    "goal": goal,
    "prize": prize,
    "tombola": tombola,
    "season": season,
}


def wav(samples: list[float]) -> bytes:
    """Normalised to ``PEAK``, faded in and out, as an 8-bit mono WAV file."""
    loudest = max(abs(s) for s in samples) or 1.0
    fade = int(FADE_S * RATE)
    count = len(samples)
    frames = bytearray()
    for n, sample in enumerate(samples):
        edge = min(1.0, n / fade, (count - 1 - n) / fade)
        frames.append(round(128 + 127 * PEAK * edge * sample / loudest))
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(1)
        file.setframerate(RATE)
        file.writeframes(bytes(frames))
    return out.getvalue()


def make() -> dict[str, bytes]:
    """Each kind's WAV file."""
    return {kind: wav(synth()) for kind, synth in SYNTHS.items()}


def write(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, content in make().items():
        path = folder / f"{kind}.wav"
        path.write_bytes(content)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(f"{path.stat().st_size:>7,} B  {path}")
