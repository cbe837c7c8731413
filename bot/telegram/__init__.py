"""Telegram: private chats through the conversation service; groups through group sessions."""
