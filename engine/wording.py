"""How numbers and names read in messages: one place, so every message speaks alike.

Python's `{:g}` prints 12345678 as `1.23457e+07` and a plain f-string says "a MP3"; a user
who typed the number should read it back as typed, and the article should follow the sound.
"""

from __future__ import annotations

_SPELLED_WITH_VOWEL_SOUND = {"MP3", "MPC2K", "RF64", "SD2", "SDS", "SVX", "HTK", "XI", "MKV"}
"""Format names read letter by letter whose first letter's name starts with a vowel sound
(em, ar, es, aitch, ex); the others (FLAC, WAV, CAF, W64...) follow their first letter."""


def human_number(value: float) -> str:
    """`12345678`, `44100`, `0.5`, `22050.5`: never an exponent, no trailing zeros."""
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return str(number)
    if number.is_integer():
        return str(int(number))
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def with_article(word: str) -> str:
    """`an MP3`, `a FLAC`, `an OGG`, `a WAV`, `an AIFF`, `an RF64`, `a file`."""
    if not word:
        return word
    vowel = word.upper() in _SPELLED_WITH_VOWEL_SOUND or word[0].lower() in "aeiou"
    return f"{'an' if vowel else 'a'} {word}"
