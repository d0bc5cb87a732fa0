"""Notifications to Slack, Teams and a signed webhook, received by a real HTTP
server on this machine."""

from __future__ import annotations

import hashlib
import hmac

from tests.notify_helpers import auth, channel, deliver, notifying, receiver, rule, sale


def test_a_prize_reaches_slack_teams_and_a_signed_webhook_once_each() -> None:
    with receiver() as peer, notifying() as run:
        channel(run, {"id": "slack", "kind": "slack", "url": peer.url + "/slack"})
        channel(run, {"id": "teams", "kind": "teams", "url": peer.url + "/teams"})
        made = channel(run, {"id": "hook", "kind": "webhook", "url": peer.url + "/hook"})
        secret = made["secret"]
        assert made["channel"]["secret"] == "…" + secret[-4:], "the key is answered once, whole"
        for channel_id in ("slack", "teams", "hook"):
            rule(run, f"r-{channel_id}", channel_id, ["prize"])
        assert run.post([sale("s-1")]).status_code == 202
        deliver(run)
        deliver(run)  # derived again, delivered again: nothing more arrives

        by_path = {r.path: r for r in peer.got}
        assert sorted(by_path) == ["/hook", "/slack", "/teams"] and len(peer.got) == 3

        slack = by_path["/slack"].json()
        assert slack["text"] == "Prize won: Ana won Kinogutschein."
        assert slack["blocks"][0] == {
            "type": "header",
            "text": {"type": "plain_text", "text": "Prize won"},
        }

        teams = by_path["/teams"].json()
        assert teams["type"] == "message"
        [attachment] = teams["attachments"]
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        card = attachment["content"]
        assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
        assert card["body"][1]["text"] == "Ana won Kinogutschein."

        hook = by_path["/hook"]
        expected = "sha256=" + hmac.new(secret.encode(), hook.body, hashlib.sha256).hexdigest()
        assert hook.headers["X-Wallboard-Signature"] == expected
        assert hook.json()["id"] == hook.headers["Idempotency-Key"]
        assert hook.json()["text"] == "Ana won Kinogutschein."

        overview = run.get("/api/notifications").json()
        assert overview["outbox"] == {"pending": 0, "delivered": 3, "dead": 0}
        assert secret not in str(overview) and peer.url + "/slack" not in str(overview)


def test_a_rule_tells_only_what_happens_after_it_and_bad_settings_are_refused() -> None:
    with receiver() as peer, notifying() as run:
        channel(run, {"id": "hook", "kind": "webhook", "url": peer.url, "secret": "k" * 20})
        assert run.post([sale("s-0")]).status_code == 202
        rule(run, "r-1", "hook", ["prize"])
        deliver(run)
        assert peer.got == [], "the prize before the rule is not told"
        assert run.post([sale("s-1")]).status_code == 202
        deliver(run)
        assert len(peer.got) == 1

        post = run.client.post
        bad = post(
            "/api/notifications/channels",
            json={
                "id": "x",
                "kind": "email",
                "host": "smtp.example.com",
                "sender": "nope",
                "recipients": [],
            },
            headers=auth(run),
        )
        assert bad.status_code == 422
        assert set(bad.json()["problems"]) == {"sender", "recipients"}
        assert post("/api/notifications/channels", json=["x"], headers=auth(run)).status_code == 422
        unknown = {"rule": "r-2", "channel": "nowhere", "on": ["prize"]}
        assert post("/api/notifications/rules", json=unknown, headers=auth(run)).status_code == 422
        wrong = {"rule": "r-2", "channel": "hook", "on": ["sale"]}
        answer = post("/api/notifications/rules", json=wrong, headers=auth(run))
        assert answer.status_code == 422 and "on" in answer.text
        assert (
            post("/api/notifications/channels", json={"id": "x", "kind": "slack"}).status_code
            == 401
        )
        assert run.get("/api/notifications", role="display").status_code == 403
        gone = "/api/notifications/channels/hook/delete"
        assert post(gone, headers=auth(run)).status_code == 200
        assert post(gone, headers=auth(run)).status_code == 404
        assert run.get("/api/notifications").json()["channels"] == []
