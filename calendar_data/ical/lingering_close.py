"""waitress's connection class, closing the way nginx and Apache do ("lingering close").

When the server ends a connection (after a 413 or 431, say) the client may still be sending the body
it was refused. Closing the socket with those bytes unread makes the kernel answer with a reset, and the
client loses the 413 already on its way: it sees "connection reset" or "broken pipe" instead. So when
the server ends a connection it shuts down its sending side only, reads and discards what still
arrives, up to `LINGER_BYTES` or `LINGER_SECONDS`, whichever comes first, and closes when the client
has hung up. Nothing read while lingering is kept or parsed. A client that hangs up first is closed
at once.

The feed server (`calendar_data.ical.feed_server.make_server`) installs this channel; the module
imports waitress at the top, so only a running server loads it.
"""

from __future__ import annotations

import socket
import time

from waitress.channel import HTTPChannel

LINGER_SECONDS = 2.0
LINGER_BYTES = 8 * 1024 * 1024


class LingeringChannel(HTTPChannel):
    """waitress's connection, ending with a lingering close when the server ends it (see the module)."""

    linger_until = 0.0
    discarded = 0
    writing = False

    def handle_write(self):
        self.writing = True  # a close from here is the server's own decision, after its answer went out
        try:
            return super().handle_write()
        finally:
            self.writing = False

    def handle_close(self):
        # Linger only when the server ends the connection; when the client has gone (end of file or a
        # reset, seen while reading) close at once, as waitress does.
        if not self.writing or self.linger_until or not self.connected or self.socket is None:
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
            data = self.recv(64 * 1024)  # b"" when the client has closed: recv() then closes too
        except OSError:
            data = b""
        self.discarded += len(data)
        if self.connected and (not data or self.discarded >= LINGER_BYTES):
            super().handle_close()
        return None
