"""How complete and how costly each language's catalogue is.

Every message is measured as the patient receives it: placeholders filled
with realistic (long) values and, for a question, its options numbered below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows import yamlio
from flows.catalogue import CATALOGUE_DIR, SOURCE_LANGUAGE, Catalogue
from flows.definition import Flow
from flows.segments import cost

SMS_SEGMENT_LIMIT = 3
SAMPLE_PARAMS = {
    "service": "Integrated Sexual Health Service", "reference": "EDS-7KQ3MX",
    "pals_phone": "0800 030 4550", "pals_text": "07899 903499",
    "pals_email": "kentchft.pals@nhs.net", "link": "https://feedback.example.nhs.uk/c/AB12CD",
}


@dataclass
class LanguageReport:
    code: str
    name: str
    review: str
    present: int
    total: int
    segments: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (encoding, n)
    voice: bool = False          # Twilio can speak it on a call
    speech: bool = False         # Twilio can recognise callers speaking it

    @property
    def completeness(self) -> float:
        return self.present / self.total if self.total else 0.0

    @property
    def over_limit(self) -> list[str]:
        return [k for k, (_, n) in self.segments.items() if n > SMS_SEGMENT_LIMIT]

    @property
    def worst(self) -> int:
        return max((n for _, n in self.segments.values()), default=0)


def _options_for(flows: dict[str, Flow]) -> dict[str, tuple[str, ...]]:
    """Which option labels are sent under which message (the longest set wins)."""
    options: dict[str, tuple[str, ...]] = {}
    for flow in flows.values():
        for step in flow.steps:
            if len(step.options) > len(options.get(step.text, ())):
                options[step.text] = step.options
    return options


def render(catalogue: Catalogue, key: str, lang: str, options: tuple[str, ...]) -> str:
    params = {**SAMPLE_PARAMS, "language": catalogue.languages[lang].native
              if lang in catalogue.languages else lang}
    lines = [catalogue.text(key, lang, params)]
    lines += [f"{i} {catalogue.text(f'option.{o}', lang, params)}"
              for i, o in enumerate(options, 1)]
    return "\n".join(lines)


def telephone_support(directory: Path = CATALOGUE_DIR) -> dict[str, dict]:
    return yamlio.load_file(directory / "voices.yaml") or {}


def build_report(catalogue: Catalogue, flows: dict[str, Flow]) -> list[LanguageReport]:
    keys = [k for k in catalogue.texts[SOURCE_LANGUAGE]
            if not k.startswith(("option.", "voice.")) and "@" not in k]
    all_keys = list(catalogue.texts[SOURCE_LANGUAGE])
    options = _options_for(flows)
    telephone = telephone_support()
    reports = []
    for code, language in catalogue.languages.items():
        own = catalogue.texts.get(code, {})
        report = LanguageReport(code=code, name=language.english,
                                review=language.review if own else "missing",
                                present=sum(1 for k in all_keys if own.get(k)),
                                total=len(all_keys),
                                voice=bool(telephone.get(code, {}).get("say")),
                                speech=bool(telephone.get(code, {}).get("speech")))
        for key in keys:
            price = cost(render(catalogue, key, code, options.get(key, ())))
            report.segments[key] = (price.encoding, price.segments)
        reports.append(report)
    return reports
