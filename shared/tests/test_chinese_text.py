"""R1.2: Chinese sentences take full-width punctuation; codes, times, URLs and placeholders keep
their ASCII."""

import pytest

from shared.i18n import ascii_punctuation_in_chinese


@pytest.mark.parametrize("text", [
    "确定取消 {date} 的预约吗?取消后无法恢复。",
    "第 {line} 行:{column} 的值无效",
    "{name}({document})已在另一份申报中",
    "预约日期前两天(含)",
    "请选择国籍(地区)",
    "该证件已注册,请直接登录",
    "格式有误;请更新!",
    "H或M加8位数字(如H12345678)",
    "可在每天9:00-18:00申报",
    "每天 9:00 - 18:00",
    "第 3-5 行",
])
def test_ascii_punctuation_in_a_chinese_sentence_is_found(text):
    assert ascii_punctuation_in_chinese(text)


@pytest.mark.parametrize("text", [
    "北京时间 09:00 至 18:00，下次开放：{at}",
    "访问网址 https://hk.sz.gov.cn/，进入系统",
    "第一行须为：document_type,document_number,entry_date",
    "共 {count} 个日期（{n} 份）",
    "{name}（{document}）已在 {date} 的申报中",
    "姓名只能包含文字、空格和·.'-",
    "HMAC-SHA256 (hex)",
    "可在每天9:00至18:00申报",
    "日期格式为 YYYY-MM-DD，例如 2026-12-04",
])
def test_codes_times_urls_and_placeholders_are_left_alone(text):
    assert ascii_punctuation_in_chinese(text) == []
