"""Telling which supported language a patient writes in, and a language they name."""

from flows.language.detector import SUPPORTED_LANGUAGES, LanguageGuess, detect
from flows.language.names import LANGUAGE_NAMES, match_language_name

__all__ = ["LANGUAGE_NAMES", "SUPPORTED_LANGUAGES", "LanguageGuess", "detect",
           "match_language_name"]
