"""The note notation and the synthesiser: what the parser reads, and that the WAV it renders
lasts exactly as long as the notes say and sounds the pitches it was asked for."""
from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from games.melody import (
    SAMPLE_RATE,
    MelodyError,
    Note,
    clip_seconds,
    note_frequency,
    parse,
    render_wav,
)


def decode(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        rate = w.getframerate()
        frames = w.readframes(w.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float64), rate


@pytest.mark.parametrize(
    ("name", "hz"),
    [("A4", 440.0), ("A3", 220.0), ("A5", 880.0), ("C4", 261.626), ("C#4", 277.183), ("Db4", 277.183),
     ("E4", 329.628), ("Bb3", 233.082), ("B3", 246.942), ("G#5", 830.609), ("C0", 16.352), ("C8", 4186.009)],
)
def test_note_frequency_is_equal_temperament_from_a440(name: str, hz: float) -> None:
    assert note_frequency(name) == pytest.approx(hz, abs=0.001)


@pytest.mark.parametrize("bad", ["H4", "C9", "c4", "C", "C##4", "R", "Cb"])
def test_note_frequency_refuses_what_is_not_a_pitch(bad: str) -> None:
    with pytest.raises(MelodyError):
        note_frequency(bad)


def test_parse_reads_lengths_dots_rests_and_ignores_bar_lines() -> None:
    assert parse("C4/4 D4/8 E4/8. | R/4 F#3/2 Bb5/1 G4 A4/16 B4/32") == [
        Note("C4", 1.0), Note("D4", 0.5), Note("E4", 0.75), Note(None, 1.0), Note("F#3", 2.0),
        Note("Bb5", 4.0), Note("G4", 1.0), Note("A4", 0.25), Note("B4", 0.125),
    ]


def test_a_dotted_rest_is_one_and_a_half_times_as_long() -> None:
    assert parse("C4 R/2.") == [Note("C4", 1.0), Note(None, 3.0)]


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "| |", "R/4 R/2", "C4/3", "C4/64", "C4/", "C4//4", "C4/4..", "X4/4", "C10/4", "C4-4", "C4/4,"],
)
def test_parse_refuses_what_it_cannot_read(bad: str) -> None:
    with pytest.raises(MelodyError):
        parse(bad)


def test_parse_error_names_the_token_and_its_position() -> None:
    with pytest.raises(MelodyError, match=r"note 3: cannot read 'Q4/4'"):
        parse("C4 D4 Q4/4")


def test_clip_seconds_sums_note_lengths_at_the_tempo() -> None:
    assert clip_seconds("C4 D4 E4 F4", 120) == pytest.approx(2.0)
    assert clip_seconds("C4/2. R/4", 60) == pytest.approx(4.0)
    assert clip_seconds("C4/8 C4/8 C4/16", 90) == pytest.approx(1.25 * 60 / 90)


@pytest.mark.parametrize("tempo", [0, 29, 301, -5, True, "120"])
def test_tempo_out_of_range_is_refused(tempo: object) -> None:
    with pytest.raises(MelodyError):
        clip_seconds("C4", tempo)  # type: ignore[arg-type]


def test_render_refuses_clips_longer_than_thirty_seconds() -> None:
    with pytest.raises(MelodyError, match="keep it to 30 s"):
        render_wav("C4/1 " * 9, 60)


def test_render_is_deterministic() -> None:
    assert render_wav("C4 E4 G4", 100) == render_wav("C4 E4 G4", 100)


@pytest.mark.parametrize(
    ("notes", "tempo"),
    [
        ("C4/4 D4/8 E4/8. R/16 F4/4 G4/2 A4/8 R/8 B4/4 C5/2", 120),
        ("E5/16 D#5/16 E5/16 D#5/16 E5/16 B4/16 D5/16 C5/16 A4/8 R/16", 90),
        ("G3/4. A3/8 G3/4 E3/2.", 97),
    ],
    ids=["mixed-lengths", "sixteenths", "odd-tempo"],
)
def test_rendered_clip_lasts_clip_seconds_and_plays_the_right_pitches(notes: str, tempo: int) -> None:
    samples, rate = decode(render_wav(notes, tempo))
    assert rate == SAMPLE_RATE
    assert abs(len(samples) / rate - clip_seconds(notes, tempo)) < 0.003

    elapsed = 0.0
    for note in parse(notes):
        start = round(elapsed * rate)
        elapsed += note.beats * 60 / tempo
        end = round(elapsed * rate)
        segment = samples[start:end]
        if note.pitch is None:
            assert not segment.any(), "a rest is silence"
            continue
        # Look at the steady middle of the note, away from the attack and release.
        trim = len(segment) // 6
        middle = segment[trim: len(segment) - trim]
        padded = np.zeros(max(len(middle), 1 << 15))
        padded[: len(middle)] = middle * np.hanning(len(middle))
        spectrum = np.abs(np.fft.rfft(padded))
        peak = np.fft.rfftfreq(len(padded), 1 / rate)[int(np.argmax(spectrum))]
        semitones = 12 * np.log2(peak / note_frequency(note.pitch))
        assert abs(semitones) < 0.5, f"{note.pitch}: heard {peak:.1f} Hz"


def test_repeated_notes_are_separated_by_the_release() -> None:
    samples, rate = decode(render_wav("A4/4 A4/4", 60))
    boundary = rate  # one second: the first note's end
    assert np.abs(samples[boundary - 8: boundary + 8]).max() < 0.02 * 32767
    assert np.abs(samples[rate // 2 - 200: rate // 2 + 200]).max() > 0.3 * 32767


def test_samples_never_clip() -> None:
    samples, _ = decode(render_wav("C2/2 C8/2 A4/2", 120))
    assert np.abs(samples).max() < 32767
