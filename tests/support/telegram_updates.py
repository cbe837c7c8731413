"""Telegram update payloads as the Bot API sends them, for webhook tests."""

from __future__ import annotations

import itertools

from tests.support.fake_telegram import BOT_USER

DATE = 1767225600
_message_ids = itertools.count(1)


def person(user_id: int, name: str) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": name,
            "username": f"{name.lower()}_tg_handle"}


def private_chat(user: dict) -> dict:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"],
            "username": user["username"]}


def group_chat(chat_id: int) -> dict:
    return {"id": chat_id, "type": "supergroup", "title": "Peer support group"}


def message(update_id: int, chat: dict, user: dict, text: str,
            reply_to_bot: bool = False) -> dict:
    body = {"message_id": next(_message_ids), "date": DATE, "chat": chat, "from": user,
            "text": text}
    if reply_to_bot:
        body["reply_to_message"] = {"message_id": next(_message_ids), "date": DATE,
                                    "chat": chat, "from": BOT_USER, "text": "a question"}
    return {"update_id": update_id, "message": body}


def button(update_id: int, user: dict, data: str) -> dict:
    return {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "from": user, "chat_instance": "instance-1", "data": data,
        "message": {"message_id": next(_message_ids), "date": DATE, "chat": private_chat(user),
                    "from": BOT_USER, "text": "a question"}}}
