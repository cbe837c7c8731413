"""One Telegram update in, the bot's messages out.

Private chats are individual conversations (`ConversationService.handle`,
channel "telegram", provider id = update_id); groups and supergroups are
group sessions (`GroupSessionService`). Commands are translated into the
product's own keywords; the dialogue itself lives in `flows/`. Database work
runs in a worker thread so the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Message, Update

from bot.telegram.sending import send_replies
from bot.telegram.settings import TelegramSettings
from feedback.group_sessions import group_sessions
from feedback.messaging import Inbound, Reply

log = logging.getLogger(__name__)
CHANNEL = "telegram"
# Telegram commands as the keywords every channel understands.
PRIVATE_COMMANDS = {"/start": "START", "/stop": "STOP", "/help": "HELP",
                    "/language": "LANGUAGE", "/restart": "RESTART", "/skip": "SKIP"}
ADMIN_STATUSES = {"creator", "administrator"}
MEDIA = ("photo", "video", "voice", "audio", "document", "sticker", "video_note", "animation")


def command_of(text: str) -> tuple[str, str]:
    """("/feedback", "CODE") from "/feedback@SomeBot CODE"; ("", text) for words."""
    if not text.startswith("/"):
        return "", text
    head, _, rest = text.partition(" ")
    return head.split("@", 1)[0].lower(), rest.strip()


class TelegramHandler:
    def __init__(self, services, settings: TelegramSettings):
        self.services = services
        self.settings = settings
        self.groups = group_sessions(services)

    async def handle(self, update: Update, bot: Bot) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        if chat.type == "private":
            await self._private(update, bot)
        elif chat.type in ("group", "supergroup") and update.message is not None:
            await self._group(update, update.message, bot)

    # -- private chats: the individual flow -------------------------------------
    async def _private(self, update: Update, bot: Bot) -> None:
        chat_id = update.effective_chat.id
        query = update.callback_query
        if query is not None:
            await query.answer()
            text, media = query.data or "", 0
        elif update.message is not None:
            message = update.message
            name, rest = command_of(message.text or message.caption or "")
            text = PRIVATE_COMMANDS.get(name, rest if not name else "")
            media = int(any(getattr(message, kind) for kind in MEDIA))
        else:
            return
        if not self.settings.service:
            await send_replies(bot, chat_id, [self._say("telegram.no_service")])
            return
        inbound = Inbound(channel=CHANNEL, address=str(chat_id), to=CHANNEL, text=text,
                          provider_id=str(update.update_id), media=media,
                          service_slug=self.settings.service)
        turn = await asyncio.to_thread(self.services.conversations.handle, inbound)
        await send_replies(bot, chat_id, turn.replies)

    # -- groups: facilitated group sessions -------------------------------------
    async def _group(self, update: Update, message: Message, bot: Bot) -> None:
        chat_id, user = message.chat_id, message.from_user
        if user is None:
            return
        name, rest = command_of(message.text or "")
        update_id = str(update.update_id)
        if name == "/feedback":
            admin = await self._is_admin(bot, message)
            turn = await asyncio.to_thread(self.groups.open_chat, rest, str(chat_id),
                                           str(user.id), admin, update_id)
        elif name in ("/next", "/close"):
            admin = await self._is_admin(bot, message)
            turn = await asyncio.to_thread(self.groups.chat_facilitate, str(chat_id),
                                           str(user.id), admin, name[1:], update_id)
        elif name == "/help":
            turn = await asyncio.to_thread(self.groups.chat_help, str(chat_id))
        elif not name and self._replies_to_bot(message, bot) and message.text:
            turn = await asyncio.to_thread(self.groups.chat_reply, str(chat_id),
                                           str(user.id), message.text, update_id)
        else:
            return                      # chatter not addressed to the bot is not read
        await send_replies(bot, chat_id, turn.replies, group=True)

    @staticmethod
    def _replies_to_bot(message: Message, bot: Bot) -> bool:
        original = message.reply_to_message
        return bool(original and original.from_user and original.from_user.id == bot.id)

    @staticmethod
    async def _is_admin(bot: Bot, message: Message) -> bool:
        """Asked of Telegram each time (getChatMember): admin rights change."""
        if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
            return True                 # an anonymous admin posting as the group
        member = await bot.get_chat_member(message.chat_id, message.from_user.id)
        return member.status in ADMIN_STATUSES

    def _say(self, key: str) -> Reply:
        return Reply(text=self.services.env.catalogue.text(key, "en"), key=key)
