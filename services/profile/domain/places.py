"""The lists of origins and destinations the service owns (R4.1).

Origins: Hong Kong's 18 districts and Macau's 7 parishes plus Cotai (Macau's reclaimed zone
between Taipa and Coloane, a common address that belongs to no parish). Destinations: the
districts of Shenzhen, including the two functional zones people give as addresses.
Traditional names are derived from the Simplified ones at load time (shared.i18n.to_traditional).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    code: str
    region: str  # HK, MO or SZ
    zh_hans: str
    en: str


ORIGINS: tuple[Place, ...] = (
    Place("HK-CW", "HK", "中西区", "Central and Western"),
    Place("HK-WC", "HK", "湾仔区", "Wan Chai"),
    Place("HK-EA", "HK", "东区", "Eastern"),
    Place("HK-SO", "HK", "南区", "Southern"),
    Place("HK-YTM", "HK", "油尖旺区", "Yau Tsim Mong"),
    Place("HK-SSP", "HK", "深水埗区", "Sham Shui Po"),
    Place("HK-KC", "HK", "九龙城区", "Kowloon City"),
    Place("HK-WTS", "HK", "黄大仙区", "Wong Tai Sin"),
    Place("HK-KT", "HK", "观塘区", "Kwun Tong"),
    Place("HK-KTS", "HK", "葵青区", "Kwai Tsing"),
    Place("HK-TW", "HK", "荃湾区", "Tsuen Wan"),
    Place("HK-TM", "HK", "屯门区", "Tuen Mun"),
    Place("HK-YL", "HK", "元朗区", "Yuen Long"),
    Place("HK-NO", "HK", "北区", "North"),
    Place("HK-TP", "HK", "大埔区", "Tai Po"),
    Place("HK-ST", "HK", "沙田区", "Sha Tin"),
    Place("HK-SK", "HK", "西贡区", "Sai Kung"),
    Place("HK-IS", "HK", "离岛区", "Islands"),
    Place("MO-NSF", "MO", "花地玛堂区", "Nossa Senhora de Fátima"),
    Place("MO-SA", "MO", "圣安多尼堂区", "Santo António"),
    Place("MO-SE", "MO", "大堂区", "Sé"),
    Place("MO-SL", "MO", "望德堂区", "São Lázaro"),
    Place("MO-SLO", "MO", "风顺堂区", "São Lourenço"),
    Place("MO-NSC", "MO", "嘉模堂区", "Nossa Senhora do Carmo (Taipa)"),
    Place("MO-SFX", "MO", "圣方济各堂区", "São Francisco Xavier (Coloane)"),
    Place("MO-COT", "MO", "路氹城", "Cotai"),
)

DESTINATIONS: tuple[Place, ...] = (
    Place("SZ-FT", "SZ", "福田区", "Futian"),
    Place("SZ-LH", "SZ", "罗湖区", "Luohu"),
    Place("SZ-NS", "SZ", "南山区", "Nanshan"),
    Place("SZ-YT", "SZ", "盐田区", "Yantian"),
    Place("SZ-BA", "SZ", "宝安区", "Bao'an"),
    Place("SZ-LG", "SZ", "龙岗区", "Longgang"),
    Place("SZ-LHU", "SZ", "龙华区", "Longhua"),
    Place("SZ-PS", "SZ", "坪山区", "Pingshan"),
    Place("SZ-GM", "SZ", "光明区", "Guangming"),
    Place("SZ-DP", "SZ", "大鹏新区", "Dapeng New District"),
    Place("SZ-SS", "SZ", "深汕特别合作区", "Shenzhen-Shanwei Special Cooperation Zone"),
)

ORIGIN_CODES = frozenset(p.code for p in ORIGINS)
DESTINATION_CODES = frozenset(p.code for p in DESTINATIONS)
