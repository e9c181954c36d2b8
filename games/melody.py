"""Melodies written as text and rendered to a small WAV clip by our own code.

Why synthesise: the demo songs must be public domain all the way down. A melody from the
1800s is, but any recording of it belongs to whoever made the recording. Rendering the notes
ourselves gives clips nobody else owns, in a few kilobytes of text per song.

Notation (one token per note, separated by spaces; ``|`` bar lines are ignored)::

    C4/4  D4/8  E4/8.  F#4/2  Bb3/16  R/4  G4

* pitch: a letter ``A``–``G``, an optional ``#`` (sharp) or ``b`` (flat), an octave ``0``–``8``
  (scientific pitch: ``C4`` is middle C, ``A4`` is 440 Hz);
* ``R`` is a rest;
* ``/n`` is the length as a fraction of a whole note: 1 whole, 2 half, 4 quarter, 8 eighth,
  16 sixteenth, 32; without it a note is a quarter;
* a trailing ``.`` makes it dotted (one and a half times as long).

The tempo is in quarter notes per minute (BPM). Rendering is a sine with a little second and
third harmonic (so it sounds like a soft organ rather than a test tone) under a short attack
and release, so repeated notes are heard as separate notes. Output is 16-bit mono PCM WAV at
16 kHz: about 32 KB a second, so a 12-second clip is under 400 KB.

This module is pure (no files, no clock); ``server.media`` writes the bytes to disk.
"""
from __future__ import annotations

import io
import math
import re
import wave
from array import array
from typing import NamedTuple

SAMPLE_RATE = 16_000
MAX_CLIP_SECONDS = 30.0
MIN_TEMPO, MAX_TEMPO = 30, 300
ATTACK_SECONDS = 0.01
RELEASE_SECONDS = 0.04
AMPLITUDE = 0.45  # of full scale, leaving headroom for the harmonics
HARMONICS = ((1, 1.0), (2, 0.25), (3, 0.1))  # (multiple of the fundamental, relative amplitude)

_NOTE_INDEX = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_PITCH = re.compile(r"^([A-G])([#b]?)([0-8])$")
_TOKEN = re.compile(r"^(?P<pitch>[A-G][#b]?[0-8]|R)(?:/(?P<length>\d+))?(?P<dot>\.)?$")
_LENGTHS = (1, 2, 4, 8, 16, 32)


class MelodyError(ValueError):
    """The notation could not be read; the message names the token and its position."""


class Note(NamedTuple):
    pitch: str | None  # "C#4", or None for a rest
    beats: float  # in quarter notes


def note_frequency(name: str) -> float:
    """Equal temperament, A4 = 440 Hz: ``note_frequency("C4")`` ≈ 261.63."""
    m = _PITCH.match(name)
    if not m:
        raise MelodyError(f"not a pitch: {name!r} (expected e.g. C4, F#3, Bb5)")
    letter, accidental, octave = m.groups()
    semitone = _NOTE_INDEX[letter] + (1 if accidental == "#" else -1 if accidental == "b" else 0)
    midi = 12 * (int(octave) + 1) + semitone
    return 440.0 * 2 ** ((midi - 69) / 12)


def parse(notes: str) -> list[Note]:
    """The notes of a melody, in order. Raises MelodyError on anything it cannot read."""
    if not isinstance(notes, str):
        raise MelodyError("notes must be a string")
    out: list[Note] = []
    for position, token in enumerate(t for t in notes.split() if t != "|"):
        m = _TOKEN.match(token)
        if not m:
            raise MelodyError(f"note {position + 1}: cannot read {token!r} (expected e.g. C4/4, F#3/8., R/2)")
        length = int(m["length"]) if m["length"] else 4
        if length not in _LENGTHS:
            raise MelodyError(f"note {position + 1}: length /{length} must be one of {_LENGTHS}")
        beats = 4 / length * (1.5 if m["dot"] else 1.0)
        out.append(Note(None if m["pitch"] == "R" else m["pitch"], beats))
    if not any(n.pitch for n in out):
        raise MelodyError("a melody needs at least one note")
    return out


def _check_tempo(tempo: float) -> None:
    if isinstance(tempo, bool) or not isinstance(tempo, (int, float)) or not MIN_TEMPO <= tempo <= MAX_TEMPO:
        raise MelodyError(f"tempo must be a number of beats per minute from {MIN_TEMPO} to {MAX_TEMPO}")


def clip_seconds(notes: str | list[Note], tempo: float) -> float:
    """How long the clip lasts: the sum of the note lengths at ``tempo`` quarter notes a minute."""
    _check_tempo(tempo)
    parsed = parse(notes) if isinstance(notes, str) else notes
    return sum(n.beats for n in parsed) * 60.0 / tempo


def render_wav(notes: str | list[Note], tempo: float, sample_rate: int = SAMPLE_RATE) -> bytes:
    """The melody as 16-bit mono PCM WAV bytes, exactly ``clip_seconds`` long (to a sample)."""
    parsed = parse(notes) if isinstance(notes, str) else notes
    total = clip_seconds(parsed, tempo)
    if total > MAX_CLIP_SECONDS:
        raise MelodyError(f"the clip lasts {total:.1f} s; keep it to {MAX_CLIP_SECONDS:.0f} s")
    seconds_per_beat = 60.0 / tempo
    samples = array("h")
    full = 32767 * AMPLITUDE / sum(a for _, a in HARMONICS)
    elapsed = 0.0
    for note in parsed:
        start = round(elapsed * sample_rate)
        elapsed += note.beats * seconds_per_beat
        n = round(elapsed * sample_rate) - start  # rounding the ends keeps the total exact
        if note.pitch is None:
            samples.extend(array("h", bytes(2 * n)))
            continue
        samples.extend(_tone(note_frequency(note.pitch), n, sample_rate, full))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(samples.tobytes())
    return buf.getvalue()


def _tone(freq: float, n: int, sample_rate: int, full: float) -> array[int]:
    attack = max(1, min(int(ATTACK_SECONDS * sample_rate), n // 4))
    release = max(1, min(int(RELEASE_SECONDS * sample_rate), n // 3))
    steps = [(2 * math.pi * freq * k / sample_rate, a) for k, a in HARMONICS if freq * k < sample_rate / 2]
    out = array("h", bytes(2 * n))
    for i in range(n):
        if i < attack:
            env = i / attack
        elif i >= n - release:
            env = (n - 1 - i) / release
        else:
            env = 1.0
        if env <= 0.0:
            continue
        value = 0.0
        for w, a in steps:
            value += a * math.sin(w * i)
        out[i] = int(full * env * value)
    return out
