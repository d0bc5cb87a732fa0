"""A roster CSV from a spreadsheet: read whatever Excel writes, every bad line named,
unknown teams and sites warned about, and stored whole or not at all."""

from __future__ import annotations

from typing import Any

import orjson

from tests.helpers import Running, running
from tests.test_api_scoring import setup

BOM = b"\xef\xbb\xbf"
#: what German Excel writes for "CSV UTF-8 (durch Trennzeichen getrennt)"
GERMAN_EXCEL = (
    BOM
    + (
        "Agent;Name;Team;Standort;Anzeigename\r\n"
        "a-4;Jürgen Müßig;Spree;Berlin;Jü\r\n"
        'a-5;"Özdemir; Ayşe";t2;lei;\r\n'
        "a-1;Anna Berg;t2;Leipzig;\r\n"
        "a-2;Ben Ohl;t2;lei;\r\n"
        ";;;;\r\n"
    ).encode()
)


def post(app: Running, body: bytes | str, query: str = "") -> Any:
    headers = {"Authorization": f"Bearer {app.tokens['manager']}", "Content-Type": "text/csv"}
    return app.client.post(f"/api/manage/roster{query}", content=body, headers=headers)


def stored_since(app: Running, before: int) -> list[dict[str, Any]]:
    return [orjson.loads(data) for data in app.events()[before:]]


def test_a_german_excel_file_is_read_with_its_bom_semicolons_umlauts_and_crlf() -> None:
    with running() as app:
        setup(app)
        app.settle()
        before = len(app.events())
        preview = post(app, GERMAN_EXCEL)
        assert preview.status_code == 200, preview.text
        body = preview.json()
        assert (body["delimiter"], body["bom"], body["needs_confirm"]) == (";", True, False)
        assert body["columns"] == {
            "agent": "Agent",
            "name": "Name",
            "team": "Team",
            "site": "Standort",
            "public_name": "Anzeigename",
        }
        # Teams and sites may be named as the roster names them; the import writes ids.
        assert [(a["agent"], a["name"], a["team"], a["site"]) for a in body["agents"]] == [
            ("a-4", "Jürgen Müßig", "t1", "ber"),
            ("a-5", "Özdemir; Ayşe", "t2", "lei"),
            ("a-1", "Anna Berg", "t2", "lei"),
            ("a-2", "Ben Ohl", "t2", "lei"),
        ]
        assert body["agents"][0]["public_name"] == "Jü"
        assert (body["agents"][0]["team_name"], body["agents"][0]["site_name"]) == (
            "Spree",
            "Berlin",
        )
        assert [a["changes"] for a in body["agents"]] == [["new"], ["new"], ["moved"], []]
        assert body["counts"] == {
            "lines": 4,
            "errors": 0,
            "new": 2,
            "moved": 1,
            "renamed": 0,
            "public_name": 0,
            "unchanged": 1,
        }
        assert len(app.events()) == before, "a preview stores nothing"

        done = post(app, GERMAN_EXCEL, "?commit=1")
        assert done.status_code == 201, done.text
        assert done.json()["committed"] is True
        assert done.json()["stored"] == {"site": 0, "team": 0, "agent": 3}
        app.settle()
        agents = app.engine.scorer.state.agents
        assert agents["a-4"].name == "Jürgen Müßig" and agents["a-4"].public_name == "Jü"
        assert agents["a-5"].name == "Özdemir; Ayşe"
        assert agents["a-1"].history[-1][1:] == ("t2", "lei")
        # Ben Ohl was already so: no event for him.
        stored = stored_since(app, before)
        assert [e["agent"] for e in stored] == ["a-4", "a-5", "a-1"]
        assert {e["by"] for e in stored} == {"test"}


def test_a_file_that_is_not_utf8_is_refused_naming_the_line_and_byte() -> None:
    with running() as app:
        latin = "agent;name;team;site\r\na-1;Anna Berg;t1;ber\r\na-2;Jürgen;t1;ber\r\n"
        refused = post(app, latin.encode("cp1252"))
        assert refused.status_code == 422
        error = refused.json()["error"]
        assert error.startswith("line 3 is not UTF-8: byte 6 of the line (byte 50 of the file)")
        assert "0xfc" in error and "CSV UTF-8" in error
        utf16 = post(app, "agent\tname\tteam\tsite\n".encode("utf-16"))
        assert utf16.status_code == 422 and "UTF-16" in utf16.json()["error"]
        assert app.events() == []


def test_every_bad_line_is_listed_with_every_problem_and_nothing_is_stored() -> None:
    with running() as app:
        setup(app)
        app.settle()
        before = len(app.events())
        lines = [
            "agent,name,team,site,public_name",
            "a-4,Dora Ek,t1,ber,",  # fine
            "a-5,,t1,",  # no name, no site
            "a-4,Dora Again,t1,ber,",  # the same agent twice
            "a-6,Eva Fink,t1,lei,",  # t1 is a Berlin team
            "a-7,Finn Gül,t1,ber,Finn,extra",  # more cells than the header
            "a-8,Gus\u202eHo,t1,ber," + "x" * 41,  # a bidi override, a public name too long
        ]
        for query in ("", "?commit=1", "?confirm=1"):
            response = post(app, "\n".join(lines) + "\n", query)
            assert response.status_code == 422, response.text
            body = response.json()
            assert body["error"] == "5 of 6 lines are invalid; nothing was stored"
            problems = {e["line"]: set(e["problems"]) for e in body["errors"]}
            assert problems == {
                3: {"name", "site"},
                4: {"agent"},
                5: {"site"},
                6: {"line"},
                7: {"name", "public_name"},
            }
            by_line = {e["line"]: e for e in body["errors"]}
            assert "'a-4' is on line 2 already" in by_line[4]["error"]
            assert "team 't1' is at site 'ber', not 'lei'" in by_line[5]["error"]
            assert "U+202E" in by_line[7]["error"]
            assert len(app.events()) == before


def test_unknown_teams_and_sites_are_warned_about_and_created_only_when_confirmed() -> None:
    with running() as app:
        setup(app)
        app.settle()
        before = len(app.events())
        csv = (
            "agent,name,team,site,email\n"
            "a-4,Dora Ek,isar-1,muc,dora@example.com\n"
            "a-5,Eva Fink,isar-1,muc,\n"
            "a-6,Finn Gül,elbe,ham,\n"
            "a-7,Gus Ho,t1,ber,\n"
        )
        preview = post(app, csv)
        assert preview.status_code == 200 and preview.json()["needs_confirm"] is True
        assert [
            (w["kind"], w.get("site"), w.get("team"), w.get("lines"))
            for w in preview.json()["warnings"]
        ] == [
            ("unknown_site", "muc", None, [2, 3]),
            ("unknown_site", "ham", None, [4]),
            ("unknown_team", "muc", "isar-1", [2, 3]),
            ("unknown_team", "ham", "elbe", [4]),
            ("ignored_column", None, None, None),
        ]
        assert preview.json()["warnings"][-1]["column"] == "email"
        refused = post(app, csv, "?commit=1")
        assert refused.status_code == 409
        assert refused.json()["error"] == "5 warnings to confirm (confirm=1); nothing was stored"
        assert len(app.events()) == before

        done = post(app, csv, "?confirm=1")
        assert done.status_code == 201, done.text
        assert done.json()["stored"] == {"site": 2, "team": 2, "agent": 4}
        app.settle()
        state = app.engine.scorer.state
        assert state.sites["muc"] == {"name": "muc"} and state.teams["elbe"]["site"] == "ham"
        assert state.agents["a-5"].history[-1][1:] == ("isar-1", "muc")
        # The whole import is one append: sites, then teams, then agents.
        kinds = [e["type"] for e in stored_since(app, before)]
        assert kinds == ["site"] * 2 + ["team"] * 2 + ["agent"] * 4


def test_a_header_the_import_cannot_read_is_refused_with_what_it_expects() -> None:
    with running() as app:
        for csv, problem in [
            ("", "the file is empty"),
            ("agent,name,team\na-1,Anna,t1\n", "no column for site in line 1"),
            ("\n\nName;Standort\n", "no column for agent, team in line 3"),
            ("agent,name,team,site,Standort\n", "columns 4 ('site') and 5 ('Standort') are both"),
            ("a-1,Anna Berg,t1,ber\n", "expected a header line with agent,name,team,site"),
        ]:
            response = post(app, csv, "?confirm=1")
            assert response.status_code == 422, csv
            assert problem in response.json()["error"], (csv, response.json())
        bad_flag = post(app, "agent,name,team,site\n", "?confirm=yes")
        assert bad_flag.status_code == 422 and "expected confirm=1" in bad_flag.json()["error"]
        assert app.events() == []


def test_the_roster_lists_sites_teams_and_agents_with_their_names_and_heads() -> None:
    with running() as app:
        setup(app)
        app.settle()
        roster = app.get("/api/manage/roster").json()
        assert [(s["site"], s["name"], s["heads"]) for s in roster["sites"]] == [
            ("ber", "Berlin", 1),
            ("lei", "Leipzig", 2),
        ]
        assert roster["teams"][0] == {
            "team": "t1",
            "name": "Spree",
            "site": "ber",
            "site_name": "Berlin",
            "heads": 1,
        }
        assert roster["agents"][1] == {
            "agent": "a-2",
            "name": "Ben Ohl",
            "public_name": "Benno",
            "team": "t2",
            "site": "lei",
            "active": True,
            "opt_out": False,
            "external_ids": {},
        }
