"""Rendering replies for Telegram: options as inline buttons, questions in a
group as a forced reply (so members' answers reach the bot in privacy mode)."""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Bot, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from feedback.messaging import Reply


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """One button per option; its callback data is the option's number."""
    if not reply.options:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=str(number))]
                                 for number, label in enumerate(reply.options, 1)])


async def send_replies(bot: Bot, chat_id: int | str, replies: Iterable[Reply],
                       group: bool = False) -> None:
    for reply in replies:
        markup = keyboard(reply)
        if group and reply.key.startswith("question."):
            markup = ForceReply(selective=False)
        await bot.send_message(chat_id=chat_id, text=reply.text, reply_markup=markup)


async def deliver(settings, chat_id: int | str, replies: Iterable[Reply]) -> None:
    """Send outside an update (e.g. staff closing a group session from the CLI)."""
    async with settings.bot() as bot:
        await send_replies(bot, chat_id, replies, group=True)
