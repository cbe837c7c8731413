"""How each channel appears in the engagement log's "Type of engagement"."""

ENGAGEMENT_TYPES = {
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "telegram": "Messenger (Telegram)",
    "web": "Web chat",
    "voice": "Telephone (automated)",
}


def engagement_type(channel: str, context: str) -> str:
    kind = ENGAGEMENT_TYPES.get(channel, channel)
    return f"Group ({kind})" if context == "group" else kind
