import json
import logging

from shared.i18n import Catalog, negotiate
from shared.logs import JsonFormatter, mask_document, mask_documents_in


def test_mask_document_keeps_only_the_ends():
    assert mask_document("H12345678") == "H12****78"
    assert mask_document("E12345678") != "E12345678"
    assert "345" not in mask_document("110101199003074477")


def test_logs_never_show_a_document_number_in_full():
    record = logging.LogRecord("x", logging.INFO, __file__, 1,
                               "login failed for H12345678 and 110101199003074477", None, None)
    line = json.loads(JsonFormatter("test").format(record))
    assert "H12345678" not in line["message"]
    assert "110101199003074477" not in line["message"]
    assert mask_documents_in("amount 42") == "amount 42"


def test_language_negotiation():
    assert negotiate("zh-HK,zh;q=0.9") == "zh-Hant"
    assert negotiate("zh-Hant") == "zh-Hant"
    assert negotiate("en-GB") == "en"
    assert negotiate(None) == "zh-Hans"
    assert negotiate("zh-CN") == "zh-Hans"


def test_traditional_catalogue_comes_from_the_simplified_one():
    catalog = Catalog([])
    assert catalog.translate("error.internal", "zh-Hans") == "系统繁忙，请稍后再试"
    assert catalog.translate("error.internal", "zh-Hant") == "系統繁忙，請稍後再試"
    assert catalog.translate("error.internal", "en").startswith("The system is busy")
    assert catalog.translate("no.such.key", "en") == "no.such.key"
