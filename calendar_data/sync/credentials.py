"""The platform keyring (macOS Keychain, Windows Credential Locker, Secret Service): the only `keyring` user.

A keyring that only pretends (the `fail` backend, or the plain-text file
backends of keyrings.alt) is treated as none: passwords are never stored in
plain text, so the user is told to use a password command or variable instead.
"""

from __future__ import annotations

from contextlib import suppress

NO_KEYRING = (
    "no usable keyring on this machine; use --password-command CMD (e.g. 'pass show carecal') "
    "or --password-env VAR instead"
)
_UNSAFE = ("fail", "null", "plaintext", "chainer")


def usable() -> bool:
    """Whether a real, encrypted keyring backend is available."""
    try:
        import keyring
        from keyring.backends import chainer
    except ImportError:
        return False
    backend = keyring.get_keyring()
    backends = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    return any(_safe(b) for b in backends)


def _safe(backend) -> bool:
    module = type(backend).__module__.lower()
    name = type(backend).__name__.lower()
    if any(word in module or word in name for word in _UNSAFE):
        return False
    try:
        return float(getattr(backend, "priority", 0)) > 0
    except Exception:  # noqa: BLE001 - a backend's priority may raise when it is unavailable
        return False


def get_password(service: str, key: str) -> str | None:
    """The stored password, or None (also when there is no keyring)."""
    if not usable():
        return None
    import keyring

    try:
        return keyring.get_password(service, key)
    except keyring.errors.KeyringError:
        return None


def set_password(service: str, key: str, password: str) -> None:
    """Store a password; RuntimeError with advice when there is no usable keyring."""
    if not usable():
        raise RuntimeError(NO_KEYRING)
    import keyring

    try:
        keyring.set_password(service, key, password)
    except keyring.errors.KeyringError as exc:
        raise RuntimeError(f"keyring refused the password ({exc}); {NO_KEYRING}") from None


def delete_password(service: str, key: str) -> None:
    """Remove a stored password; nothing happens when there is none."""
    if not usable():
        return
    import keyring

    with suppress(keyring.errors.KeyringError):
        keyring.delete_password(service, key)
