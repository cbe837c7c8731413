"""Choosing the conversation's language: by menu, by name, or by detection.

The invitation's language (if any) is set by the host and marked fixed;
after that the patient's explicit choice wins; detection of a free-text
reply is used only when confident, and is confirmed in the new language.
"""

from __future__ import annotations

from flows import events as ev
from flows.turn import Turn
from flows.words import normalise, word_count


def languages(turn: Turn) -> list[str]:
    """Menu order: the catalogue's language list, only those with texts."""
    return available(turn.env.catalogue)


def available(catalogue) -> list[str]:
    """The languages a patient may choose (a web page's picker shares the menu's order)."""
    return [code for code in catalogue.languages if catalogue.has(code)]


def _native(turn: Turn, code: str) -> str:
    info = turn.env.catalogue.languages.get(code)
    return info.native if info else code


def switch(turn: Turn, code: str, how: str) -> None:
    turn.update(language=code, language_fixed=True)
    turn.record(ev.LanguageChanged(language=code, how=how))


def menu(turn: Turn, text: str, opening: bool) -> None:
    session = turn.session
    codes = languages(turn)
    if opening:
        turn.update(state="choosing_language", resume_state=session.state, retried=False)
        turn.say("language.menu", tuple(_native(turn, c) for c in codes))
        return
    said = normalise(text)
    code = None
    if said.isdigit() and 0 < int(said) <= len(codes):
        code = codes[int(said) - 1]
    elif turn.env.name_language:
        code = turn.env.name_language(text)
    if code in codes or session.retried:
        if code in codes:
            switch(turn, code, "chosen")
            turn.say("language.changed", language=_native(turn, code))
        turn.update(state=session.resume_state or "waiting", resume_state="", retried=False)
        from flows.replies import reask  # a menu interrupts whatever was being asked

        reask(turn)
        return
    turn.update(retried=True)
    turn.say("language.menu", tuple(_native(turn, c) for c in codes))


def named(turn: Turn, text: str) -> bool:
    """A short reply that names a language switches to it ("polski", "Urdu")."""
    finder = turn.env.name_language
    if not finder or word_count(text) > 4:
        return False
    code = finder(text)
    if not code or code not in languages(turn) or code == turn.lang:
        return False
    switch(turn, code, "chosen")
    turn.say("language.changed", language=_native(turn, code))
    return True


def detect(turn: Turn, text: str, bare: bool) -> None:
    """Until the language is settled, follow a confident guess from a reply."""
    env, session = turn.env, turn.session
    if session.language_fixed or env.detect is None:
        return
    guess = env.detect(text)
    if guess.code is None or guess.confidence < env.detect_confidence:
        return
    if guess.code == session.language:
        if not bare:
            turn.update(language_fixed=True)
        return
    if guess.code in languages(turn):
        switch(turn, guess.code, "detected")
        turn.say("language.confirm", language=_native(turn, guess.code))
