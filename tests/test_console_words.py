"""The console's words: each one its page and scripts use exists in English and in
German, with the same placeholders; and the console speaks the manager's language
(``?lang=``, remembered, else the browser's Accept-Language)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.changes import NOTIFIABLE
from scoring.channels import SCENES
from scoring.contests.model import FORMATS
from scoring.experiments.contract import METRICS, STRATA, UNITS
from scoring.rules import CHANNELS, PERIODS
from tests.helpers import running
from tests.test_manage import sign_in
from wallboard.connectors.presets import PRESETS, SYSTEM_ISSUED
from wallboard.console_words import WORDS
from wallboard.i18n import COOKIE, LANGUAGES, negotiate
from wallboard.manage import CONSOLE_SCRIPTS, MANAGER_TYPES
from wallboard.notify.channels import KINDS as NOTIFY_KINDS
from wallboard.notify.channels import SECURITY
from wallboard.tokens import ROLES

PACKAGE = Path(__file__).resolve().parent.parent / "wallboard"
SCRIPTS = [PACKAGE / "static" / name for name in CONSOLE_SCRIPTS]
TEMPLATES = [PACKAGE / "templates" / name for name in ("manage.html", "login.html")]
#: the keys the scripts build from a prefix and a value (t(`channel_${ch}`)), expanded
BUILT = {
    "channel_": CHANNELS,
    "per_": PERIODS,
    "period_": PERIODS,
    "role_": ROLES,
    "type_": (*MANAGER_TYPES, "sale", "cancellation", "contact"),
    "award_": ("awarded", "handed_over", "revoked"),
    "tombola_": ("open", "closed", "drawn"),
    "match_": ("scheduled", "live", "final"),
    "kind_": ("instant", "threshold", "rank"),
    "contact_": ("handled", "resolved", "referral"),
    "weight_": ("sales", "support"),
    "weekday_": tuple(str(day) for day in range(1, 8)),
    "whatif_": ("points", "commission", "prizes", "prize_cost", "agents_winning"),
    "whatif_by_": ("agent", "team", "site"),
    "change_": ("new", "moved", "renamed", "public_name", "none"),
    "status_": ("scheduled", "running", "ended"),
    "stratum_": STRATA,
    "unit_": UNITS,
    "xmetric_": METRICS,
    "scene_": SCENES,
    "format_": FORMATS,
    "notify_kind_": NOTIFY_KINDS,
    "notify_security_": SECURITY,
    "notify_language_": ("en", "de"),
    "notify_on_": NOTIFIABLE,
    "notify_url_help_": ("slack", "teams", "webhook"),
    "connectors_preset_": (*PRESETS, "custom"),
    "connectors_steps_": (*PRESETS, "custom"),
    "connectors_secret_": tuple(SYSTEM_ISSUED),
}


def used_keys() -> set[str]:
    keys: set[str] = set()
    for script in SCRIPTS:
        keys |= set(re.findall(r"""\bt\(["'](\w+)["']""", script.read_text()))
    for template in TEMPLATES:
        keys |= set(re.findall(r"\bt\.(\w+)", template.read_text()))
    for prefix, values in BUILT.items():
        keys |= {f"{prefix}{value}" for value in values}
    return keys


def test_every_word_the_console_uses_is_there_in_each_language() -> None:
    missing = sorted(used_keys() - set(WORDS))
    assert missing == [], f"console words missing from wallboard/console_words/: {missing}"


def test_each_word_has_both_languages_with_the_same_placeholders() -> None:
    wrong = []
    for key, texts in WORDS.items():
        placeholders = {tuple(sorted(re.findall(r"\{(\w+)\}", text))) for text in texts}
        if (
            len(texts) != len(LANGUAGES)
            or not all(t.strip() for t in texts)
            or len(placeholders) > 1
        ):
            wrong.append(key)
    assert wrong == []


def test_the_scripts_build_every_prefixed_key_from_a_known_list() -> None:
    built = set()
    for script in SCRIPTS:
        built |= set(re.findall(r"\bt\(`(\w+)\$\{", script.read_text()))
    assert built <= set(BUILT), f"prefixes the test does not expand: {sorted(built - set(BUILT))}"


@pytest.mark.parametrize(
    ("requested", "remembered", "accept", "expected"),
    [
        ("de", None, "", "de"),
        ("xx", "de", "", "de"),
        (None, "en", "de-DE,de;q=0.9", "en"),
        (None, None, "de-DE,de;q=0.9,en;q=0.8", "de"),
        (None, None, "fr-FR, en;q=0.5, de;q=0.7", "de"),
        (None, None, "fr-FR", "en"),
        (None, None, "de;q=nonsense, en", "en"),
        (None, None, "", "en"),
    ],
)
def test_the_language_is_asked_for_then_remembered_then_the_browsers(
    requested: str | None, remembered: str | None, accept: str, expected: str
) -> None:
    assert negotiate(requested, remembered, accept) == expected


def test_the_console_speaks_german_when_asked_and_remembers_it() -> None:
    with running() as app:
        sign_in(app)
        assert '<html lang="en">' in app.client.get("/manage").text
        german = app.client.get("/manage?lang=de")
        assert '<html lang="de">' in german.text and "Stornofrist" in german.text
        assert f"{COOKIE}=de" in german.headers["set-cookie"]
        # remembered: the next visit without ?lang= is German too
        assert '<html lang="de">' in app.client.get("/manage").text
        english = app.client.get("/manage?lang=en")
        assert '<html lang="en">' in english.text and "Cancellation window" in english.text


def test_the_console_and_its_sign_in_follow_the_browsers_language() -> None:
    with running() as app:
        sign_in(app)
        headers = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
        assert '<html lang="de">' in app.client.get("/manage", headers=headers).text
        app.client.cookies.clear()
        page = app.client.get("/manage/login", headers=headers)
        assert "Passwort" in page.text and "set-cookie" not in page.headers


def test_a_german_console_link_signs_in_in_german() -> None:
    """``/manage?lang=de`` before signing in: the sign-in page is German, and so is
    the console after it."""
    with running() as app:
        app.client.cookies.clear()
        redirect = app.client.get("/manage?lang=de", follow_redirects=False)
        assert redirect.status_code == 303
        assert redirect.headers["location"] == "/manage/login?lang=de"
        page = app.client.get(redirect.headers["location"])
        assert '<html lang="de">' in page.text and "Passwort" in page.text
        sign_in(app)
        assert '<html lang="de">' in app.client.get("/manage").text
