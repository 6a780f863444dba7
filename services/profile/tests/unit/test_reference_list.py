"""The operator's reference list (R4.3 verification source) as a CSV file."""

from datetime import date

import pytest

from services.profile.adapters.reference_list import ReferenceFileError, parse_reference_csv


def test_reference_csv_is_read_and_normalized():
    rows = parse_reference_csv("\ufeffdocument_type,document_number,name,date_of_birth\n"
                               "hk_macao_resident_permit, h1234 5678 ,陈大文,1985-03-02\n"
                               "taiwan_resident_permit,12345678,林小华,\n")
    assert rows == [
        {"document_type": "hk_macao_resident_permit", "document_number": "H12345678", "name": "陈大文",
         "date_of_birth": date(1985, 3, 2)},
        {"document_type": "taiwan_resident_permit", "document_number": "12345678", "name": "林小华",
         "date_of_birth": None}]


def test_reference_csv_problems_are_reported_by_line_and_nothing_is_kept():
    with pytest.raises(ReferenceFileError) as caught:
        parse_reference_csv("document_type,document_number,name,date_of_birth\n"
                            "hk_macao_resident_permit,H12345678,陈大文,1985-03-02\n"
                            "hk_macao_resident_permit,C12345678,陈大文,1985-03-02\n"
                            "passport,1,x,\n"
                            "taiwan_resident_permit,12345678,林小华,02/03/1985\n")
    assert [line for line, _ in caught.value.problems] == [3, 4, 5]


def test_reference_csv_needs_its_columns():
    with pytest.raises(ReferenceFileError):
        parse_reference_csv("number,name\nH12345678,x\n")
