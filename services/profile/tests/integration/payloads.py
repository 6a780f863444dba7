"""Request bodies for the integration tests (dates relative to the frozen clock's day)."""

from __future__ import annotations

import uuid
from datetime import date

from services.profile.tests.helpers import years_before

TODAY = date(2026, 12, 4)


def personal_info(**changes) -> dict:
    body = {"name": "陈大文", "sex": "male", "date_of_birth": "1985-03-02",
            "hk_mobile": "91234567", "mainland_mobile": None, "document_expiry": "2030-01-01",
            "origin": "HK-YTM", "destination": "SZ-FT", "consent": True}
    body.update(changes)
    return body


def hk_number() -> str:
    return f"H{uuid.uuid4().int % 10**8:08d}"


def spouse(**changes) -> dict:
    body = {"name": "李美玲", "sex": "female", "nationality": "HK",
            "document_type": "hk_macao_resident_permit", "document_number": hk_number(),
            "document_expiry": "2030-01-01", "date_of_birth": "1987-05-06",
            "relation": "spouse", "category": "married_couple"}
    body.update(changes)
    return body


def child(**changes) -> dict:
    body = {"name": "陈小明", "sex": "male", "nationality": "HK",
            "document_type": "hk_macao_resident_permit", "document_number": hk_number(),
            "document_expiry": "2030-01-01",
            "date_of_birth": years_before(TODAY, 10).isoformat(),
            "relation": "child", "category": "child_14_under"}
    body.update(changes)
    return body


def permit_child_without_id_card(**changes) -> dict:
    """R6.5: a child on a 往来港澳通行证 with no mainland identity card."""
    body = child(name="陈小红", sex="female", nationality="CN",
                 document_type="mainland_travel_permit",
                 document_number=f"CA{uuid.uuid4().int % 10**7:07d}",
                 date_of_birth=years_before(TODAY, 8).isoformat(), no_mainland_id=True)
    body.update(changes)
    return body
