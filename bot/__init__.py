"""Chat channels: Telegram and web chat (individual and group)."""
