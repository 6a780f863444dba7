"""Bad input gets a clear, localized JSON error, never an HTML page: the errors nginx makes
itself (a request line too long, a malformed request, a public file not there yet)."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import requests


def test_a_too_long_url_is_a_json_414_not_the_app_servers_html(gateway_url):
    dates = ",".join(["2030-06-02"] * 500)  # a request line of ~5,600 bytes
    answer = requests.get(f"{gateway_url}/api/booking/applications/confirmation?dates={dates}",
                          headers={"X-Lang": "zh-Hant"}, timeout=10)
    assert answer.status_code == 414
    # nginx stops before reading the headers, so X-Lang is unknown: the default language
    assert answer.json()["error"] == {"code": "error.too_large", "message": "提交的内容过大"}


def test_a_malformed_request_is_a_json_400(gateway_url):
    url = urlsplit(gateway_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.putrequest("GET", "/api/booking/reservations/%00%00/slip", skip_accept_encoding=True)
    connection.endheaders()
    answer = connection.getresponse()
    body = answer.read()
    assert answer.status == 400, body
    assert answer.getheader("Content-Type", "").startswith("application/json"), body
    # refused on the request line, before X-Lang is read: the default language
    assert body.decode() == '{"error":{"code":"error.bad_request","message":"请求格式有误"}}'



def test_a_public_list_not_yet_written_is_a_json_404(gateway_url):
    answer = requests.get(f"{gateway_url}/public/lottery/1999-01-01/winners.json",
                          headers={"X-Lang": "en"}, timeout=10)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "error.not_found"
