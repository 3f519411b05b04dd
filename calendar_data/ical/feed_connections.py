"""How the feed server's connections end: a bound on slow requests, and a lingering close.

waitress (see `feed_server.make_server`) parses HTTP and runs the thread pool; two things a public
subscription server needs are not in it, so they are added to its connection class here:

- a request must arrive within `HEADER_SECONDS` of its first byte (waitress only times silence,
  so a client trickling one header line at a time would hold a connection for ever);
- when the server ends a connection it closes the way nginx and Apache do, reading and dropping
  what the client still sends, so the client gets the 413 or 431 rather than a reset.

waitress is imported only when a server is made, so the WSGI app can be tested alone.
"""

from __future__ import annotations

import socket
import time
from typing import TYPE_CHECKING

HEADER_SECONDS = 10.0
"""Time a request may take to arrive, from its first byte to the end of its headers (a calendar app
needs milliseconds). waitress's channel_timeout only counts silence, so a client sending one header line
every 20 s would hold its connection forever; 50 of them would fill `connection_limit` and lock every
real subscriber out. Past this bound the connection is closed, whatever it is still sending."""
LINGER_SECONDS = 2.0
LINGER_BYTES = 8 * 1024 * 1024


if TYPE_CHECKING:

    class _ChannelBase:
        """What the mixins use of waitress.channel.HTTPChannel, the class they are mixed in before.

        waitress ships no types and is imported lazily (in `lingering_channel`), so the checker sees
        this declaration in its place; at run time the mixin's base is `object` and `super()` reaches
        HTTPChannel through LingeringChannel's MRO.
        """

        request: object | None
        """The parser of the request being read (waitress's HTTPRequestParser); None when none is pending."""
        requests: list
        """Complete requests waiting to be served."""

        connected: bool
        socket: socket.socket | None
        will_close: bool
        close_when_flushed: bool

        def received(self, data: bytes) -> bool:
            """Feeds bytes read from the socket to the request parser."""
            ...

        def recv(self, size: int) -> bytes:
            """Reads from the socket; b"" (and the channel closed) when the client has closed."""
            ...

        def handle_write(self) -> None: ...
        def handle_close(self) -> None: ...
        def handle_read(self) -> None: ...
        def readable(self) -> bool: ...
        def writable(self) -> bool: ...
else:
    _ChannelBase = object


class _HeaderClock(_ChannelBase):
    """Mixed into waitress's channel: times each request from its first byte until it is complete."""

    request_started = 0.0
    """time.time() of the first byte of the request being read; 0 between requests."""
    timed_out = False
    header_seconds = HEADER_SECONDS

    def received(self, data: bytes) -> bool:
        if data and self.request is None and not self.request_started:
            self.request_started = time.time()
        result = super().received(data)
        if self.request is None:  # the request is complete (and queued) or nothing is pending
            self.request_started = 0.0
        return result

    def too_slow(self, now: float) -> bool:
        """Whether the request being read has taken longer than `header_seconds` to arrive."""
        return (
            bool(self.request_started)
            and not self.requests
            and now - self.request_started > self.header_seconds
        )


class _LingeringClose(_ChannelBase):
    """Mixed into waitress's channel: closing the way nginx and Apache do ("lingering close").

    When the server ends a connection (after a 413 or 431, say) the client may still be sending the
    body it was refused. Closing the socket with those bytes unread makes the kernel answer with a
    reset, and the client loses the 413 already on its way: it sees "connection reset" or "broken
    pipe" instead. So when the server ends a connection it shuts down its sending side only, reads
    and discards what still arrives, up to `LINGER_BYTES` or `LINGER_SECONDS`, whichever comes
    first, and closes when the client has hung up. Nothing read while lingering is kept or parsed.
    A client that hangs up first is closed at once.
    """

    linger_until = 0.0
    discarded = 0
    writing = False
    timed_out: bool
    """Set by `_HeaderClock` (the other mixin) when the request took too long: no lingering then."""

    def handle_write(self):
        # a close from here is the server's own decision, after its answer went out
        self.writing = True
        try:
            return super().handle_write()
        finally:
            self.writing = False

    def handle_close(self):
        # Linger only when the server ends the connection; when the client has gone (end of file or a
        # reset, seen while reading) close at once, as waitress does.
        if (
            not self.writing
            or self.timed_out
            or self.linger_until
            or not self.connected
            or self.socket is None
        ):
            return super().handle_close()
        try:
            self.socket.shutdown(socket.SHUT_WR)
        except OSError:
            return super().handle_close()
        self.will_close = self.close_when_flushed = False
        self.linger_until = time.monotonic() + LINGER_SECONDS
        return None

    def readable(self):
        if not self.linger_until:
            return super().readable()
        if time.monotonic() >= self.linger_until:
            super().handle_close()
            return False
        return True

    def writable(self):
        return False if self.linger_until else super().writable()

    def handle_read(self):
        if not self.linger_until:
            return super().handle_read()
        try:
            # b"" when the client has closed: recv() then closes too
            data = self.recv(64 * 1024)
        except OSError:
            data = b""
        self.discarded += len(data)
        if self.connected and (not data or self.discarded >= LINGER_BYTES):
            super().handle_close()
        return None


def lingering_channel():
    """waitress's connection class with both mixins: slow requests timed, a lingering close."""
    from waitress.channel import HTTPChannel

    class LingeringChannel(_HeaderClock, _LingeringClose, HTTPChannel):
        pass

    return LingeringChannel
