"""WAV clips into the formats chats play: OGG/Opus, MP3 and SILK.

Why these: Telegram sends a voice message only as OGG/Opus (``sendVoice``) and plays MP3 as
audio (``sendAudio``); Discord plays OGG and MP3 inline; QQ voice (OneBot ``record``) is SILK,
though go-cqhttp/NapCat also convert MP3 themselves.

The encoders are optional (the ``media`` extra): PyAV (``av``), whose wheels bundle FFmpeg
with libopus and libmp3lame, and graiax-silkcoder, whose wheels bundle Tencent's SILK
encoder. Without them the server serves WAV only and says so at start (``available()``
lists what this host can do); nothing else changes.
"""
from __future__ import annotations

import io
import logging
import warnings
import wave

log = logging.getLogger("campfire.media")

MEDIA_TYPES = {"wav": "audio/wav", "ogg": "audio/ogg", "mp3": "audio/mpeg", "silk": "audio/silk"}
# container, codec, sample rate, bit rate: voice-message sizes (a 15 s clip is ~60 KB in Opus)
_AV_FORMATS = {"ogg": ("ogg", "libopus", 48_000, 32_000), "mp3": ("mp3", "libmp3lame", 44_100, 64_000)}
SILK_RATE = 24_000  # the rate QQ's own voice messages use


class FormatUnavailable(Exception):
    """This host has no encoder for the format (install the ``media`` extra)."""


def _has_av() -> bool:
    try:
        import av
    except ImportError:
        return False
    try:
        av.codec.Codec("libopus", "w")
        av.codec.Codec("libmp3lame", "w")
    except Exception:
        return False
    return True


def _has_silk() -> bool:
    try:
        with warnings.catch_warnings():  # it imports audioop (deprecated; gone in Python 3.13)
            warnings.simplefilter("ignore", DeprecationWarning)
            import graiax.silkcoder  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return False
    return _has_av()  # resampling to 24 kHz goes through PyAV


def available() -> tuple[str, ...]:
    """The formats this host serves, best first for a chat that plays anything."""
    formats = []
    if _has_av():
        formats += ["ogg", "mp3"]
    formats.append("wav")
    if _has_silk():
        formats.append("silk")
    return tuple(formats)


def _av_encode(wav: bytes, container: str, codec: str, rate: int, bit_rate: int) -> bytes:
    import av

    out = io.BytesIO()
    with av.open(io.BytesIO(wav), "r") as src, av.open(out, "w", format=container) as dst:
        stream = dst.add_stream(codec, rate=rate)
        assert isinstance(stream, av.audio.stream.AudioStream)
        stream.layout = "mono"
        stream.bit_rate = bit_rate
        for frame in src.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return out.getvalue()


def _pcm(wav: bytes, rate: int) -> bytes:
    """Mono 16-bit PCM at ``rate``, resampled with PyAV."""
    import av

    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
    chunks: list[bytes] = []
    with av.open(io.BytesIO(wav), "r") as src:
        for frame in src.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(bytes(out.planes[0])[: out.samples * 2])
    for out in resampler.resample(None):
        chunks.append(bytes(out.planes[0])[: out.samples * 2])
    return b"".join(chunks)


def transcode(wav: bytes, fmt: str) -> bytes:
    """The WAV clip in ``fmt``; raises FormatUnavailable when this host cannot encode it."""
    if fmt == "wav":
        return wav
    if fmt not in available():
        raise FormatUnavailable(fmt)
    if fmt in _AV_FORMATS:
        return _av_encode(wav, *_AV_FORMATS[fmt])
    if fmt == "silk":
        from graiax.silkcoder import silk_encode

        return bytes(silk_encode(_pcm(wav, SILK_RATE), rate=SILK_RATE, tencent=True))
    raise FormatUnavailable(fmt)


def wav_seconds(wav: bytes) -> float:
    with wave.open(io.BytesIO(wav)) as w:
        return w.getnframes() / w.getframerate()
