"""The CalDAV server, through the `caldav` library: the only module that imports it.

Why `caldav` (python-caldav, 3.x): it is the maintained CalDAV client for
Python, tested against Radicale, Nextcloud, Fastmail, iCloud, SOGo, Baikal and
more, and it already does what a careful sync needs: sync-collection reports
(RFC 6578) with paging and a full-listing fallback for servers without them,
calendar-multiget, and conditional writes (`If-None-Match: *` for a create,
`If-Match: ETAG` for an update or delete, with a 412 raised as a typed error).
Hand-written WebDAV would re-learn every server quirk it has collected.

Everything here speaks in hrefs, ETags and bytes; what the bytes mean is
`vevent`'s business, and what to do about them is `engine`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from caldav.davclient import DAVClient  # caldav exports it lazily (PEP 562), typed only here
from caldav.elements import dav
from caldav.lib import error

TIMEOUT_SECONDS = 30


class ServerError(RuntimeError):
    """The server could not be reached or refused a request; the message names the target and why."""


class PreconditionFailed(ServerError):
    """The resource changed (or appeared, or went) since we last saw it: a 412 to If-Match/If-None-Match."""


@dataclass
class Changes:
    """What changed on the server since a sync token (everything, without one)."""

    token: str | None
    changed: dict[str, str | None] = field(default_factory=dict)
    """href -> ETag of every resource added or changed (all of them on a full listing)."""
    deleted: set[str] = field(default_factory=set)
    full: bool = False
    """True when this is a full listing: anything known and not listed was deleted."""


class Server:
    """One calendar collection on a CalDAV server."""

    def __init__(self, url: str, *, username: str = "", password: str = "") -> None:
        self.url = url if url.endswith("/") else url + "/"
        try:
            self.client = DAVClient(
                url=self.url,
                username=username or None,
                password=password or None,
                timeout=TIMEOUT_SECONDS,
            )
            self.calendar = self.client.calendar(url=self.url)
        except (error.DAVError, OSError, ValueError) as exc:
            raise ServerError(f"{self.url}: {_why(exc)}") from None

    def href_for(self, uid: str) -> str:
        """A new resource's href: the UID made safe as a file name (servers keep the name we give)."""
        name = "".join(c if c.isalnum() or c in "-_." else "-" for c in uid)[:180]
        return unquote(urlsplit(self.url).path) + name + ".ics"

    def changes(self, token: str | None) -> Changes:
        """Resources added, changed or removed since `token` (RFC 6578), or a full listing."""
        try:
            collection = self.calendar.get_objects_by_sync_token(
                sync_token=token, load_objects=False
            )
        except error.NotFoundError:
            raise ServerError(
                f"{self.url}: no calendar here (create it on the server first, "
                "and give the calendar's own URL)"
            ) from None
        except error.AuthorizationError:
            raise ServerError(f"{self.url}: the server refused the user name or password") from None
        except (error.DAVError, OSError, ValueError) as exc:
            raise ServerError(f"{self.url}: cannot list the calendar ({_why(exc)})") from None
        new_token = collection.sync_token
        full = token is None or not new_token or str(new_token).startswith("fake-")
        deleted = {self._path(u) for u in getattr(collection, "deleted_urls", set()) or set()}
        changed = {}
        for obj in collection:
            path = self._path(obj.url)
            if path not in deleted:
                changed[path] = obj.props.get(dav.GetEtag.tag)
        return Changes(
            token=str(new_token) if new_token else None, changed=changed, deleted=deleted, full=full
        )

    def fetch(self, hrefs: Iterable[str]) -> dict[str, tuple[bytes, str | None]]:
        """The data and ETag of each href (one calendar-multiget; those gone meanwhile are left out)."""
        hrefs = list(hrefs)
        if not hrefs:
            return {}
        urls = [self._url(h) for h in hrefs]
        try:
            objects = self.calendar.multiget(urls)
        except (error.DAVError, OSError, ValueError) as exc:
            raise ServerError(f"{self.url}: cannot read events ({_why(exc)})") from None
        found = {}
        for obj in objects:
            data = obj.data
            if data:
                found[self._path(obj.url)] = (
                    data.encode() if isinstance(data, str) else data,
                    obj.props.get(dav.GetEtag.tag),
                )
        return found

    def put(self, href: str, data: bytes, *, etag: str | None, create: bool) -> str | None:
        """Write a resource in one request; returns its new ETag (None if the server sent none).

        `create` sends If-None-Match: * (never overwrite something we have not
        seen); otherwise `etag` is sent as If-Match. PreconditionFailed when
        the server's copy is not the one we expected. (caldav's `save()` would
        first search the calendar for the UID on servers it has no notes on;
        our hrefs are made from the UID, so the precondition alone is enough.)
        """
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if create:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        response = self._send(href, "PUT", data, headers)
        if response.status == 412:
            raise PreconditionFailed(f"{href}: changed on the server since the last sync")
        if response.status not in (200, 201, 204):
            raise ServerError(
                f"{self.url}: cannot save {href} (HTTP {response.status} {response.reason})"
            )
        tag = (response.headers or {}).get("ETag")
        return tag if tag and not tag.startswith("W/") else None

    def delete(self, href: str, *, etag: str | None) -> None:
        """Remove a resource if it is still the version `etag` names (gone already counts as done)."""
        response = self._send(href, "DELETE", b"", {"If-Match": etag} if etag else {})
        if response.status == 412:
            raise PreconditionFailed(f"{href}: changed on the server since the last sync")
        if response.status not in (200, 204, 404, 410):
            raise ServerError(
                f"{self.url}: cannot delete {href} (HTTP {response.status} {response.reason})"
            )

    def _send(self, href: str, method: str, data: bytes, headers: dict):
        url = str(self._url(href))
        try:
            if method == "PUT":
                # caldav annotates body as str, but its to_wire() takes bytes as they are
                return self.client.put(url, data, headers)  # type: ignore[arg-type]
            return self.client.delete(url, headers)
        except error.AuthorizationError:
            raise ServerError(f"{self.url}: the server refused the user name or password") from None
        except error.NotFoundError:
            if method == "DELETE":
                return _Gone()
            raise ServerError(
                f"{self.url}: no calendar here (create it on the server first)"
            ) from None
        except (error.DAVError, OSError, ValueError) as exc:
            raise ServerError(f"{self.url}: cannot {method} {href} ({_why(exc)})") from None

    def close(self) -> None:
        """Drop the HTTP session."""
        with suppress(AttributeError, OSError):
            self.client.close()

    def _path(self, url) -> str:
        """A resource's path, unquoted: servers and listings disagree on quoting '@' and spaces."""
        return unquote(urlsplit(str(url)).path)

    def _url(self, href: str):
        return self.calendar.url.join(quote(href, safe="/@:+,;=!$&'()*~"))


class _Gone:
    """A DELETE answered 404: the resource is already gone, which is what we wanted."""

    status, reason = 404, "Not Found"
    headers: dict[str, str] = {}


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if "NewConnectionError" in text or "Failed to establish" in text or "Max retries" in text:
        return "cannot connect: is the server running, and is the URL right?"
    if "timed out" in text.lower():
        return f"no answer within {TIMEOUT_SECONDS} s"
    if "CERTIFICATE" in text.upper():
        return "the server's HTTPS certificate is not trusted"
    return text[:200]
