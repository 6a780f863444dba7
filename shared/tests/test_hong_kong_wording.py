"""R1.2: the 繁體 texts read as Hong Kong Chinese: OpenCC s2hk, then the Hong Kong phrase table."""

import pytest

from shared.i18n import HK_PHRASES, Catalog, to_traditional


@pytest.mark.parametrize(("simplified", "hong_kong"), [
    # log in / out; the longest entry wins: 退出登录 is 登出, not 退出登入
    ("请先登录", "請先登入"),
    ("退出登录", "登出"),
    # account: one word, 帳戶, for both mainland spellings; 戶 in its Hong Kong form
    ("该账号已被停用", "該帳戶已被停用"),
    ("注册账户", "註冊帳戶"),
    ("用户登录", "用戶登入"),
    # characters and fields of a form; quotation marks
    ("长度不能超过200个字符", "長度不能超過200個字"),
    ("不允许的字段", "不允許的欄位"),
    ("显示“待公布”", "顯示「待公佈」"),
    # information / message
    ("个人信息", "個人資料"),
    ("消息已过期", "訊息已過期"),
    # e-mail
    ("客服邮箱", "客服電郵"),
    ("邮箱地址格式不正确", "電郵地址格式不正確"),
    ("发送邮件", "發送電郵"),
    # software and office vocabulary
    ("请联系客服", "請聯絡客服"),
    ("不支持该请求方式", "不支援該請求方式"),
    ("CSV 文件", "CSV 檔案"),
    ("设置密码", "設定密碼"),
    ("已保存", "已儲存"),
    ("创建时间", "建立時間"),
    ("正在加载…", "正在載入…"),
    ("导入入境记录", "匯入入境記錄"),
    # computing words; data in the sense our pages use it is 資料
    ("下载公示数据", "下載公示資料"),
    ("等待申报数据齐全", "等待申報資料齊全"),
    ("使用本系统源代码中的核验程序", "使用本系統原始碼中的核驗程式"),
    ("随机种子的哈希值", "隨機種子的雜湊值"),
    ("摇号算法：", "搖號演算法："),
    ("在线提交客服申请", "網上提交客服申請"),
    ("可在线查看系统操作指引", "可在網上查看系統操作指引"),
    ("无权访问", "無權瀏覽"),
    ("您访问的页面不存在", "您瀏覽的頁面不存在"),
    ("审核、运营及管理人员", "審核、營運及管理人員"),
    # 程序 as a procedure stays: only the verification program is a 程式
    ("开始随机摇号程序", "開始隨機搖號程序"),
    # place names as Hong Kong writes them: Australia, Indonesia, Bangladesh
    ("澳大利亚", "澳洲"),
    ("印度尼西亚", "印尼"),
    ("孟加拉国", "孟加拉"),
    # characters s2hk picks wrongly in these phrases
    ("初始化并产生随机种子", "初始化並產生隨機種子"),
    ("直接回复本邮件", "直接回覆本電郵"),
])
def test_hong_kong_wording(simplified, hong_kong):
    assert to_traditional(simplified) == hong_kong


def test_plain_opencc_text_is_left_as_it_is():
    assert to_traditional("验证码错误，请重新输入") == "驗證碼錯誤，請重新輸入"


def test_the_phrase_table_produces_nothing_it_would_replace_again():
    """A replacement never contains another entry, so converting is stable."""
    for key, value in HK_PHRASES.items():
        assert not any(other in value for other in HK_PHRASES), (key, value)


def test_a_traditional_text_not_generated_yet_is_converted_the_same_way(tmp_path):
    """The catalogue's load-time fallback uses the same conversion as tools.gen_hant."""
    (tmp_path / "zh-Hans.json").write_text('{"x.login": "请先登录"}', encoding="utf-8")
    assert Catalog([tmp_path]).translate("x.login", "zh-Hant") == "請先登入"

