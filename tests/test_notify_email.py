"""Notifications by e-mail, received by a real SMTP server (aiosmtpd) on this
machine: plain, STARTTLS with a login, and implicit TLS, each over a certificate
made for the test and trusted through the channel's own ``ca_pem``."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from tests.conftest import free_port
from tests.notify_helpers import channel, deliver, notifying, rule, sale


class Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[Envelope, EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        self.mails.append((envelope, message_from_bytes(raw, policy=policy.default)))  # type: ignore[arg-type]
        return "250 OK"


def authenticate(
    server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"board", b"s3cret")
    return AuthResult(success=ok)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@contextmanager
def smtp_server(**options: Any) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    loop = asyncio.new_event_loop()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, loop=loop, **options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
        loop.close()


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def mail_channel(port: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": "mail",
        "kind": "email",
        "host": "127.0.0.1",
        "port": port,
        "sender": "wallboard@example.com",
        "recipients": "floor@example.com, lead@example.com",
        **extra,
    }


def check_mail(inbox: Inbox, language: str = "en") -> EmailMessage:
    [(envelope, mail)] = inbox.mails
    assert envelope.rcpt_tos == ["floor@example.com", "lead@example.com"]
    assert envelope.mail_from == "wallboard@example.com"
    assert mail["Message-ID"].startswith("<n") and mail["Message-ID"].endswith("@example.com>")
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    return mail


def test_a_prize_arrives_by_plain_smtp() -> None:
    with smtp_server() as (inbox, port), notifying() as run:
        channel(run, mail_channel(port, security="none"))
        rule(run, "r-mail", "mail", ["prize"])
        run.post([sale("s-1")])
        deliver(run)
        mail = check_mail(inbox)
        assert mail["Subject"] == "Prize won"
        assert "Ana won Kinogutschein." in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_a_prize_arrives_over_starttls_with_a_login_in_german(
    certificate: tuple[Path, Path],
) -> None:
    options = {
        "tls_context": server_context(certificate),
        "require_starttls": True,
        "authenticator": authenticate,
        "auth_required": True,
    }
    with smtp_server(**options) as (inbox, port), notifying() as run:
        body = mail_channel(
            port,
            security="starttls",
            username="board",
            password="s3cret",
            ca_pem=certificate[0].read_text(),
        )
        made = channel(run, body)
        assert made["channel"]["password"] == "…" and "s3cret" not in str(made)
        rule(run, "r-mail", "mail", ["prize"], language="de")
        run.post([sale("s-1")])
        deliver(run)
        mail = check_mail(inbox)
        assert mail["Subject"] == "Preis gewonnen"
        html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert "Ana hat Kinogutschein gewonnen." in html


def test_a_prize_arrives_over_implicit_tls(certificate: tuple[Path, Path]) -> None:
    with smtp_server(ssl_context=server_context(certificate)) as (inbox, port), notifying() as run:
        channel(run, mail_channel(port, security="tls", ca_pem=certificate[0].read_text()))
        rule(run, "r-mail", "mail", ["prize"])
        run.post([sale("s-1")])
        deliver(run)
        check_mail(inbox)


def test_a_server_whose_certificate_is_not_trusted_is_not_sent_to(
    certificate: tuple[Path, Path],
) -> None:
    options = {"tls_context": server_context(certificate)}
    with smtp_server(**options) as (inbox, port), notifying() as run:
        channel(run, mail_channel(port, security="starttls"))
        rule(run, "r-mail", "mail", ["prize"])
        run.post([sale("s-1")])
        deliver(run)
        assert inbox.mails == []
        [pending] = run.get("/api/notifications").json()["pending"]
        assert "CERTIFICATE_VERIFY_FAILED" in pending["error"]
