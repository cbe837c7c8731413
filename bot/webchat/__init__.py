"""Web chat: the conversation in the browser, for d/Deaf and remote patients.

Works as plain form posts without JavaScript; `static/webchat/chat.js` makes
it smoother. No third-party scripts, fonts or trackers; one session cookie.
"""
