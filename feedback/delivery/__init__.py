"""Delivering escalations to PALS: e-mail (SMTP) and a signed JSON webhook.

Each route is an outbox handler; the outbox retries until the route accepts.
"""
