"""The nationalities (regions) the system knows: one list for identity's registration and
profile's cohabitants, so a cohabitant cannot be given a code an applicant could not register
with. Which document types each may hold is the services' own business.
"""

from __future__ import annotations

# The four Chinese regions (each with document types of its own).
CHINESE_REGIONS = (
    ("HK", "中国香港", "Hong Kong, China"),
    ("MO", "中国澳门", "Macao, China"),
    ("TW", "中国台湾", "Taiwan, China"),
    ("CN", "中国内地", "Chinese mainland"),
)

# Foreign countries: the ones whose nationals most often travel through Hong Kong, and more.
FOREIGN = (
    ("US", "美国", "United States"), ("GB", "英国", "United Kingdom"),
    ("CA", "加拿大", "Canada"), ("AU", "澳大利亚", "Australia"),
    ("NZ", "新西兰", "New Zealand"), ("PH", "菲律宾", "Philippines"),
    ("IN", "印度", "India"), ("ID", "印度尼西亚", "Indonesia"),
    ("MY", "马来西亚", "Malaysia"), ("SG", "新加坡", "Singapore"),
    ("TH", "泰国", "Thailand"), ("VN", "越南", "Viet Nam"),
    ("JP", "日本", "Japan"), ("KR", "韩国", "Republic of Korea"),
    ("PK", "巴基斯坦", "Pakistan"), ("NP", "尼泊尔", "Nepal"),
    ("BD", "孟加拉国", "Bangladesh"), ("LK", "斯里兰卡", "Sri Lanka"),
    ("MM", "缅甸", "Myanmar"), ("KH", "柬埔寨", "Cambodia"),
    ("FR", "法国", "France"), ("DE", "德国", "Germany"),
    ("IT", "意大利", "Italy"), ("ES", "西班牙", "Spain"),
    ("NL", "荷兰", "Netherlands"), ("IE", "爱尔兰", "Ireland"),
    ("CH", "瑞士", "Switzerland"), ("SE", "瑞典", "Sweden"),
    ("PT", "葡萄牙", "Portugal"), ("RU", "俄罗斯", "Russia"),
    ("BR", "巴西", "Brazil"), ("MX", "墨西哥", "Mexico"),
    ("ZA", "南非", "South Africa"), ("NG", "尼日利亚", "Nigeria"),
    ("EG", "埃及", "Egypt"), ("TR", "土耳其", "Türkiye"),
    ("AE", "阿拉伯联合酋长国", "United Arab Emirates"), ("IL", "以色列", "Israel"),
)

NATIONALITY_CODES = tuple(code for code, _, _ in (*CHINESE_REGIONS, *FOREIGN))
