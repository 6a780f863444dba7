"""verify recomputes a published draw from the audit bundle alone (R8.4)."""

import copy
import json

from services.lottery import verify
from services.lottery.domain.audit import build_bundle, verify_bundle
from services.lottery.domain.draw import DateBatch, Entry, draw_period

SEED = bytes.fromhex("11" * 32)


def published_bundle():
    batches = [DateBatch(f"2026-12-0{d}", 6, [
        Entry(f"Q{d}{i:04d}", tuple(f"person{(i * 7 + d) % 25}-{k}" for k in range(1 + i % 3)))
        for i in range(30)]) for d in range(4, 10)]
    return build_bundle("2026-12-03", SEED, batches, draw_period(SEED, batches))


def test_a_published_draw_matches():
    assert verify_bundle(published_bundle()) == []


def test_changing_one_entry_application_number_does_not_match():
    bundle = published_bundle()
    bundle["dates"][2]["entries"][5]["application_number"] = "Q6XXXX"
    assert any("digest" in p for p in verify_bundle(bundle))


def test_changing_one_winning_application_number_does_not_match():
    bundle = published_bundle()
    day = bundle["dates"][0]
    loser = next(e["application_number"] for e in day["entries"]
                 if e["application_number"] not in day["winners"])
    day["winners"][0] = loser
    assert any("winners differ" in p for p in verify_bundle(bundle))


def test_another_seed_than_the_committed_one_does_not_match():
    bundle = published_bundle()
    bundle["seed"] = "22" * 32
    assert any("seed hash" in p for p in verify_bundle(bundle))


def test_the_command_says_matches_or_not(tmp_path, capsys):
    good = tmp_path / "audit.json"
    good.write_text(json.dumps(published_bundle()))
    assert verify.main([str(good)]) == 0
    assert "MATCHES" in capsys.readouterr().out
    bad_bundle = copy.deepcopy(published_bundle())
    bad_bundle["dates"][1]["entries"][0]["application_number"] = "Z0000"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_bundle))
    assert verify.main([str(bad)]) == 1
    assert "DOES NOT MATCH" in capsys.readouterr().out
    assert verify.main([str(tmp_path / "missing.json")]) == 2
