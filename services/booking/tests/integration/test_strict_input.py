"""Strict JSON input: integers are integers, a date is given once, capacities are not set for
the past and entries are not dated in the future; each refusal is a 400 naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.testing import auth_header

from .conftest import apply, at, operator_headers

pytestmark = pytest.mark.integration


def put_capacities(client, items, lang="en"):
    return client.put("/api/booking/capacities",
                      headers=operator_headers() | {"X-Lang": lang}, json={"items": items})


def stored_places(client, day):
    listed = client.get(f"/api/booking/capacities?from={day}&to={day}",
                        headers=operator_headers())
    return [item["places"] for item in listed.json["items"]]


@pytest.mark.parametrize("loose", ["10", 1.5, True, None])
def test_places_must_be_a_json_integer(client, clock, period, loose):
    clock.set(at(period, 8, 0), frozen=True)
    day = period + timedelta(days=1)
    response = put_capacities(client, [{"date": day.isoformat(), "places": loose}])
    assert response.status_code == 400
    field = response.json["error"]["fields"]["items.0.places"]
    assert field["code"] == ("field.required" if loose is None else "field.integer")
    assert stored_places(client, day) == []  # 1.5 is not stored as 1


def test_negative_places_are_refused_naming_the_limits(client, clock, period):
    clock.set(at(period, 8, 0), frozen=True)
    response = put_capacities(client, [{"date": (period + timedelta(days=1)).isoformat(),
                                        "places": -1}], lang="zh-Hans")
    field = response.json["error"]["fields"]["items.0.places"]
    assert (field["code"], field["params"]) == ("field.range_between", {"min": 0, "max": 100000})
    assert field["message"] == "应在0至100000之间"


def test_capacities_before_today_beijing_time_are_refused_today_is_not(client, clock, period):
    # 00:30 in Beijing is still the previous day in UTC: "today" is Beijing's
    clock.set(at(period, 0, 30), frozen=True)
    yesterday = period - timedelta(days=1)
    response = put_capacities(client, [{"date": period.isoformat(), "places": 5},
                                       {"date": yesterday.isoformat(), "places": 5}])
    assert response.status_code == 400
    fields = response.json["error"]["fields"]
    assert list(fields) == ["items.1.date"]
    assert fields["items.1.date"] == {"code": "field.date_past",
                                      "message": "The date must not be before today"}
    assert stored_places(client, period) == []  # all or nothing
    assert put_capacities(client, [{"date": period.isoformat(), "places": 5}]).status_code == 200


def test_an_item_without_a_date_is_a_400_not_a_500(client, clock, period):
    clock.set(at(period, 8, 0), frozen=True)
    response = put_capacities(client, [{"places": 0}, {"date": "no date", "places": 1}])
    assert response.status_code == 400
    fields = response.json["error"]["fields"]
    assert (fields["items.0.date"]["code"], fields["items.1.date"]["code"]) == (
        "field.required", "field.invalid_date")


def test_a_capacity_date_given_twice_is_refused(client, clock, period):
    clock.set(at(period, 8, 0), frozen=True)
    day = (period + timedelta(days=2)).isoformat()
    response = put_capacities(client, [{"date": day, "places": 5}, {"date": day, "places": 9}])
    assert response.status_code == 400
    assert response.json["error"]["fields"]["items.1.date"]["code"] == "field.duplicate"


@pytest.mark.parametrize("hour", [10, 20])  # in the window, and after it: the schema refuses
def test_R7_3_an_application_with_the_same_date_twice_is_refused(client, clock, period,
                                                                 make_party, hour):
    party = make_party()
    clock.set(at(period, hour, 0), frozen=True)
    day = period + timedelta(days=1)
    response = apply(client, party, [day, day])
    assert response.status_code == 400
    assert response.json["error"]["fields"]["dates"]["code"] == "booking.dates_duplicate"
    assert client.get("/api/booking/applications", headers=party.headers).json["items"] == []


def test_R7_3_more_than_six_dates_names_the_limit(client, clock, period, make_party):
    party = make_party()
    clock.set(at(period, 10, 0), frozen=True)
    response = apply(client, party, [period + timedelta(days=i) for i in range(1, 8)])
    field = response.json["error"]["fields"]["dates"]
    assert (field["code"], field["params"]) == ("field.count_between", {"min": 1, "max": 6})


def test_entry_records_dated_after_today_are_refused(client, clock, period):
    clock.set(at(period, 10, 0), frozen=True)
    records = [{"document_type": "hk_macao_resident_permit", "document_number": "H55556666",
                "entry_date": day.isoformat()} for day in (period, period + timedelta(days=1))]
    response = client.post("/api/booking/entry-records", headers=operator_headers(),
                           json={"records": records})
    assert response.status_code == 400
    fields = response.json["error"]["fields"]
    assert list(fields) == ["records.1.entry_date"]
    assert fields["records.1.entry_date"]["message"] == "An entry cannot be dated after today"
    accepted = client.post("/api/booking/entry-records", headers=operator_headers(),
                           json={"records": records[:1]})
    assert accepted.status_code == 200 and accepted.json["inserted"] == 1


@pytest.mark.parametrize("loose", ["3", 2.5, False])
def test_disable_policy_numbers_must_be_json_integers(client, loose):
    response = client.put("/api/booking/settings/disable-policy",
                          headers=auth_header("op-1", roles=("operator",)),
                          json={"threshold": loose, "window_days": 30})
    assert response.status_code == 400
    assert response.json["error"]["fields"]["threshold"]["code"] == "field.integer"
