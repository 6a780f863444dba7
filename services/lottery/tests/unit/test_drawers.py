"""What the operators' monitor shows of who drew a date: a readable kind, the host and an
operator's account only as detail (never the raw `scheduler vm:7400` text as the label)."""

from services.lottery.domain import drawers


def test_the_scheduled_draw_is_told_apart_from_an_operator_s_manual_draw():
    assert drawers.describe(drawers.scheduler_worker("vm", 7400)) == {
        "kind": "scheduler", "host": "vm:7400", "account_id": None}
    assert drawers.describe(drawers.operator_worker("op-1", "vm", 12)) == {
        "kind": "operator", "host": "vm:12", "account_id": "op-1"}


def test_other_text_is_kept_as_detail_and_nothing_drawn_is_none():
    assert drawers.describe("survivor") == {"kind": "other", "host": "survivor",
                                            "account_id": None}
    assert drawers.describe(None) is None and drawers.describe("") is None
