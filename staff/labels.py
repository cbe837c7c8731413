"""Words staff read instead of the codes the screener stores."""

from __future__ import annotations

CATEGORY_LABELS = {
    "physical_harm": "Physical harm",
    "clinical_error": "Clinical error",
    "neglect": "Neglect",
    "abuse_by_staff": "Abuse by staff",
    "domestic_abuse": "Domestic abuse",
    "self_harm_suicide": "Self-harm or suicide",
    "discrimination": "Discrimination",
    "sexual_misconduct": "Sexual misconduct",
    "child_safeguarding": "Child safeguarding",
    "threat_to_others": "Threat to others",
    "data_breach_privacy": "Data breach or privacy",
}


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code) or code.replace("_", " ").capitalize()
