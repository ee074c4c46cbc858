#!/usr/bin/env python3
"""Generate the example sites under sites/: site.toml and roster.csv for each.

Why this exists: Swabline needs realistic rosters to develop, test, simulate
and benchmark against -- whole compounds with buildings, units, households of
realistic sizes, elderly people and small children in the priority lane, a few
single-tube people -- and no real person's data may ever be used for that. So
every person here is made up: the names are random combinations of common
surnames and given names, the ID numbers are random but well-formed (GB
11643-1999, correct check digit), the phone numbers are random. Only the
compound names are real: they are residential compounds that appeared in the
2022 news about mass testing campaigns, and so is the district two of them are
placed in. Their layouts (buildings, units, floors) are NOT theirs, and no
address goes below district level; do not read anything else about the real
places into these files.

The output is deterministic: each site has its own fixed seed
(random.Random(seed)), nothing reads the clock, and running the script twice
gives byte-identical files. Change a seed or a parameter on purpose, never by
accident, and regenerate all sites together (ID numbers and phone numbers are
kept unique across sites in generation order).

Run it from anywhere (standard library only, Python 3.11+):

    python3 scripts/generate_rosters.py              # writes <repo>/sites/
    python3 scripts/generate_rosters.py --out /tmp/x # writes /tmp/x/<site>/

It prints one line per site: households, residents, priority, single-tube.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

# Ages are computed as of this day (Shanghai's 2022 whole-population rounds).
REFERENCE_DATE = dt.date(2022, 4, 1)

CSV_HEADER = [
    "resident_code", "name", "id_number", "phone", "building", "unit", "room",
    "household", "priority", "single_tube",
]

# --------------------------------------------------------------------------
# Site definitions
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildingKind:
    """A run of identical buildings: `count` of them, `units` 单元 each,
    `floors` floors, `per_floor` flats per floor in each unit."""

    count: int
    units: int
    floors: int
    per_floor: int


@dataclass(frozen=True)
class SiteSpec:
    folder: str  # the compound's Chinese name, also the folder name
    id: str
    address: str
    zone: str
    pool_mode: str
    lab: str
    opens: str
    closes: str
    stations: int
    seed: int
    code_prefix: str
    buildings: tuple[BuildingKind, ...]
    households: int  # occupied flats, sampled from the layout
    # Buildings per one-hour calling window, in building order; empty = no slots.
    slot_groups: tuple[int, ...] = ()
    # Inclusive bounds the resident count must land in (a guard against
    # changing a parameter and silently getting a different kind of site).
    residents_between: tuple[int, int] = (0, 10**9)


# Addresses stay at city level, or city + district where the 2022 news placed
# the compound (芳菲苑 and 华夏里社区: 廊坊市广阳区, Langfang, Hebei); 祥和新城's
# district is not verified here, and no street or house number is ever invented.
SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        folder="祥和新城",
        id="xianghe-xincheng",
        address="上海市",
        zone="precaution",
        pool_mode="pooled10",
        lab="lab-jinyu",
        opens="07:00",
        closes="19:00",
        stations=6,
        seed=20220401,
        code_prefix="XH",
        # 12 six-floor walk-ups (36 flats) + 7 eleven-floor blocks (88 flats) = 1,048 flats.
        buildings=(BuildingKind(12, 3, 6, 2), BuildingKind(7, 2, 11, 4)),
        households=956,
        residents_between=(2200, 2700),
    ),
    SiteSpec(
        folder="华夏里社区",
        id="huaxiali",
        address="廊坊市广阳区",
        zone="controlled",
        pool_mode="pooled10",
        lab="lab-dian",
        opens="07:00",
        closes="19:00",
        stations=10,
        seed=20220408,
        code_prefix="HXL",
        # 18 six-floor walk-ups (48 flats) + 10 eighteen-floor towers (144 flats) = 2,304 flats.
        buildings=(BuildingKind(18, 4, 6, 2), BuildingKind(10, 2, 18, 4)),
        households=2008,
        # Walk-ups three to a window (07:00-13:00), towers two to a window
        # (13:00-18:00); 18:00-19:00 is left for stragglers and walk-ins.
        slot_groups=(3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2),
        residents_between=(5100, 5300),
    ),
    SiteSpec(
        folder="芳菲苑",
        id="fangfeiyuan",
        address="廊坊市广阳区",
        zone="precaution",
        pool_mode="pooled10",
        lab="lab-dian",
        opens="07:00",
        closes="19:00",
        stations=2,
        seed=20220404,
        code_prefix="FFY",
        # 2 six-floor walk-ups, 2 units, 2 flats per floor = 48 flats.
        buildings=(BuildingKind(2, 2, 6, 2),),
        households=40,
        residents_between=(90, 115),
    ),
)

# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

# Common surnames with rough relative weights (national frequency, with the
# surnames common in Shanghai and Jiangnan -- 沈 顾 陆 钱 -- a little heavier).
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 72), ("李", 70), ("张", 68), ("刘", 55), ("陈", 60), ("杨", 32), ("黄", 24),
    ("赵", 20), ("吴", 26), ("周", 24), ("徐", 26), ("孙", 15), ("马", 12), ("朱", 20),
    ("胡", 14), ("郭", 11), ("何", 10), ("高", 10), ("林", 10), ("罗", 9), ("郑", 9),
    ("梁", 7), ("谢", 7), ("宋", 6), ("唐", 6), ("许", 7), ("韩", 5), ("冯", 5),
    ("邓", 5), ("曹", 6), ("彭", 4), ("曾", 4), ("肖", 4), ("田", 4), ("董", 4),
    ("袁", 4), ("潘", 5), ("于", 4), ("蒋", 5), ("蔡", 5), ("余", 3), ("杜", 3),
    ("叶", 4), ("程", 3), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3), ("任", 3),
    ("沈", 8), ("姚", 4), ("卢", 3), ("姜", 3), ("崔", 2), ("钟", 2), ("谭", 2),
    ("陆", 8), ("汪", 3), ("范", 3), ("金", 4), ("石", 2), ("廖", 2), ("贾", 2),
    ("夏", 3), ("方", 3), ("邹", 2), ("孟", 2), ("熊", 2), ("秦", 2), ("邱", 2),
    ("江", 2), ("尹", 1), ("薛", 2), ("段", 1), ("侯", 1), ("史", 1), ("陶", 2),
    ("顾", 7), ("毛", 2), ("龚", 2), ("邵", 2), ("钱", 6), ("严", 2), ("戴", 2),
    ("孔", 1), ("汤", 2), ("倪", 2), ("施", 3),
)

# Given names by sex and the era a person was born in: names follow fashion.
GIVEN = {
    ("m", "old"): (  # born up to 1965
        "建国", "建华", "建平", "国强", "国平", "国庆", "志强", "志明", "德明", "德华",
        "永福", "永强", "根宝", "金宝", "福根", "水根", "宝林", "文华", "卫东", "卫国",
        "振华", "秋生", "荣生", "春生", "明德", "仁杰", "海林", "家栋", "长根", "兴发",
        "伯年", "学文", "继明", "耀祖", "金林", "德兴", "国华", "培元", "惠民", "忠良",
    ),
    ("f", "old"): (
        "秀英", "桂英", "玉兰", "凤英", "淑珍", "秀兰", "桂芳", "美华", "丽华", "玉珍",
        "素珍", "月娥", "彩凤", "翠英", "惠芳", "雅琴", "佩华", "金妹", "红梅", "美娟",
        "国英", "爱华", "宝娣", "凤娣", "杏娣", "小妹", "月琴", "雪英", "阿珍", "文娟",
        "秀珍", "兰英", "菊英", "美芳", "根娣", "惠珍", "琴芳", "瑞英", "巧云", "静娴",
    ),
    ("m", "mid"): (  # born 1966-1989
        "伟", "磊", "军", "勇", "强", "涛", "斌", "杰", "鹏", "超", "刚", "俊", "峰", "浩",
        "晓东", "海涛", "建军", "志刚", "春雷", "晓峰", "伟民", "立新", "文斌", "俊杰",
        "宏伟", "振宇", "海峰", "明辉", "卫华", "永刚", "晓明", "建伟", "国栋", "辉",
        "一平", "晓军", "鸿飞", "晨光", "立群", "剑锋",
    ),
    ("f", "mid"): (
        "静", "丽", "敏", "燕", "艳", "娟", "芳", "霞", "婷", "洁", "红", "丹", "琳", "莉",
        "晓燕", "海燕", "丽娟", "晓红", "秀梅", "雪梅", "春燕", "慧敏", "佳", "颖",
        "晓丽", "美玲", "文静", "丽萍", "蕾", "倩", "晓雯", "燕萍", "慧", "瑾",
        "佳丽", "亚萍", "晓琳", "雯", "婧", "萍",
    ),
    ("m", "young"): (  # born 1990 or later
        "子轩", "浩然", "宇轩", "梓豪", "俊熙", "一鸣", "浩宇", "博文", "思远", "皓轩",
        "子墨", "宇航", "天佑", "嘉豪", "家乐", "铭泽", "昊天", "睿", "晨", "奕辰",
        "沐阳", "逸凡", "泽宇", "明轩", "锦程", "俊宇", "景行", "煜", "晟", "子豪",
        "宇", "昊", "思源", "嘉诚", "亦凡", "文博", "承泽", "瑞霖", "诚", "天翊",
    ),
    ("f", "young"): (
        "欣怡", "梓涵", "雨桐", "诗涵", "一诺", "子萱", "可馨", "思琪", "佳怡", "雨涵",
        "若曦", "语嫣", "梦瑶", "紫萱", "心怡", "雅婷", "诗雨", "佳琪", "梓萱", "安琪",
        "悦", "萌", "晨曦", "依诺", "嘉欣", "婉清", "沁", "芷若", "书瑶", "可欣",
        "怡", "彤", "思雨", "昕", "静怡", "雨萱", "梦琪", "馨予", "语彤", "佳宁",
    ),
}


def era(birth_year: int) -> str:
    if birth_year <= 1965:
        return "old"
    if birth_year <= 1989:
        return "mid"
    return "young"


# --------------------------------------------------------------------------
# ID numbers and phones
# --------------------------------------------------------------------------

# Shanghai district codes (黄浦 徐汇 长宁 静安 普陀 虹口 杨浦 闵行 宝山 嘉定 浦东
# 金山 松江 青浦 奉贤 崇明), with rough weights.
SHANGHAI_REGIONS: tuple[tuple[str, int], ...] = (
    ("310101", 6), ("310104", 8), ("310105", 5), ("310106", 7), ("310107", 8),
    ("310109", 6), ("310110", 9), ("310112", 10), ("310113", 7), ("310114", 5),
    ("310115", 16), ("310116", 2), ("310117", 5), ("310118", 3), ("310120", 3),
    ("310151", 2),
)

# Residents whose hukou was first registered elsewhere (city centre districts
# of nearby and large provinces).
OTHER_REGIONS: tuple[tuple[str, int], ...] = (
    ("320102", 4),  # 南京 玄武
    ("320583", 3),  # 昆山
    ("330106", 3),  # 杭州 西湖
    ("340104", 3),  # 合肥 蜀山
    ("370102", 2),  # 济南 历下
    ("410105", 2),  # 郑州 金水
    ("420106", 2),  # 武汉 武昌
    ("430102", 2),  # 长沙 芙蓉
    ("510107", 2),  # 成都 武侯
    ("360102", 2),  # 南昌 东湖
)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


# Real mobile number prefixes (China Mobile, Unicom, Telecom).
PHONE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "166", "173", "176", "177", "180", "181", "182", "183", "185", "186",
    "187", "188", "189", "191", "198", "199",
)


def weighted(rng: Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def age_on(birth: dt.date, day: dt.date = REFERENCE_DATE) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_date_for_age(rng: Random, age: int) -> dt.date:
    """A uniformly random birth date of someone exactly `age` on REFERENCE_DATE."""
    latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)  # 1 April: no leap-day trouble
    earliest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age - 1) + dt.timedelta(days=1)
    birth = dt.date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))
    assert age_on(birth) == age
    return birth


# --------------------------------------------------------------------------
# Households
# --------------------------------------------------------------------------


@dataclass
class Member:
    sex: str  # "m" | "f"
    age: int
    surname: str
    parents: list[int] = field(default_factory=list)  # indices into the household


HOUSEHOLD_SIZES = ((1, 25), (2, 30), (3, 21), (4, 13), (5, 7), (6, 4))


class HouseholdMaker:
    """Builds households from a few realistic templates (couples, children,
    grandparents), all with plausible age gaps."""

    def __init__(self, rng: Random):
        self.rng = rng

    def surname(self) -> str:
        return weighted(self.rng, SURNAMES)

    def couple(self, lo: int, hi: int) -> list[Member]:
        r = self.rng
        husband = r.randint(lo, hi)
        wife = max(20, husband - r.choice((-2, -1, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6)))
        return [Member("m", husband, self.surname()), Member("f", wife, self.surname())]

    def children(self, parents: list[Member], count: int) -> list[Member]:
        """`count` children of `parents` (a couple, or one parent), who sit at
        the start of the household; oldest first. Ages may come out negative:
        the caller then tries again. Children take the father's surname (now
        and then the mother's), or their single parent's."""
        r = self.rng
        mothers = [p for p in parents if p.sex == "f"]
        age = (mothers[0].age if mothers else parents[0].age - 2) - r.randint(24, 36)
        if len(parents) == 1:
            family_name = parents[0].surname
        else:
            father = next(p for p in parents if p.sex == "m")
            family_name = mothers[0].surname if r.random() < 0.06 else father.surname
        kids = []
        for k in range(count):
            if k:
                age -= r.randint(1, 7)
            kids.append(Member(r.choice("mf"), age, family_name, parents=list(range(len(parents)))))
        return kids

    def elders(self, child: Member, count: int) -> list[Member]:
        """The parents of `child` (one or both): grandfather first."""
        r = self.rng
        father_age = min(98, child.age + r.randint(23, 33))
        mother_age = min(97, father_age - r.choice((0, 1, 2, 2, 3, 4)))
        if count == 2:
            return [Member("m", father_age, child.surname), Member("f", mother_age, self.surname())]
        # Widowed: more often the grandmother, who also outlives him by years.
        if r.random() < 0.7:
            return [Member("f", min(98, mother_age + r.randint(0, 4)), self.surname())]
        return [Member("m", father_age, child.surname)]

    def parent_couple_side(self, couple: list[Member]) -> Member:
        """Which side of a couple the grandparents living with them belong to."""
        return couple[0] if self.rng.random() < 0.62 else couple[1]

    def family(self, kids: int, elders: int, lo: int = 28, hi: int = 48) -> list[Member]:
        """A couple with `kids` children and `elders` of one spouse's parents."""
        while True:
            members = self.couple(lo, hi)
            children = self.children(members, kids)
            # Children of a couple in this template are minors or young adults.
            if children and (children[-1].age < 0 or children[0].age > 26):
                continue
            grand = self.elders(self.parent_couple_side(members), elders) if elders else []
            return members + children + grand

    def make(self, size: int) -> list[Member]:
        r = self.rng
        if size == 1:
            band = r.choices(("young", "middle", "old"), weights=(35, 25, 40))[0]
            age = {"young": (20, 34), "middle": (35, 59), "old": (60, 95)}[band]
            sex = r.choices("mf", weights=(45, 55) if band != "old" else (32, 68))[0]
            return [Member(sex, r.randint(*age), self.surname())]
        if size == 2:
            kind = r.choices(("couple", "single_parent", "elder_and_child"), weights=(70, 12, 18))[0]
            if kind == "couple":
                lo, hi = r.choice(((24, 38), (39, 59), (60, 89), (60, 89)))
                return self.couple(lo, hi)
            if kind == "single_parent":
                while True:
                    parent = Member(r.choice("mf") if r.random() < 0.25 else "f", r.randint(30, 55), self.surname())
                    kid = self.children([parent], 1)
                    if kid[0].age >= 1:  # a newborn's single parent is rarer still
                        return [parent] + kid
            adult = Member(r.choice("mf"), r.randint(35, 65), self.surname())
            return [adult] + self.elders(adult, 1)
        if size == 3:
            kind = r.choices(("couple_child", "couple_elder", "single_parent_elder"), weights=(78, 10, 12))[0]
            if kind == "couple_child":
                return self.family(1, 0, 26, 52)
            if kind == "couple_elder":
                couple = self.couple(40, 62)
                return couple + self.elders(self.parent_couple_side(couple), 1)
            while True:
                parent = Member("f" if r.random() < 0.8 else "m", r.randint(30, 50), self.surname())
                kid = self.children([parent], 1)
                if kid[0].age >= 0:
                    return [parent] + kid + self.elders(parent, 1)
        if size == 4:
            kind = r.choices(("two_kids", "kid_elder", "two_couples"), weights=(35, 45, 20))[0]
            if kind == "two_kids":
                return self.family(2, 0)
            if kind == "kid_elder":
                return self.family(1, 1)
            # An elderly couple with their married son or daughter, no grandchildren yet.
            young = self.couple(25, 36)
            return self.elders(self.parent_couple_side(young), 2) + young
        if size == 5:
            kind = r.choices(("kid_two_elders", "two_kids_elder", "three_kids"), weights=(60, 30, 10))[0]
            if kind == "kid_two_elders":
                return self.family(1, 2)
            if kind == "two_kids_elder":
                return self.family(2, 1)
            return self.family(3, 0, 32, 46)
        # size == 6
        kind = r.choices(("two_kids_two_elders", "four_generations", "three_kids_elder"), weights=(70, 10, 20))[0]
        if kind == "two_kids_two_elders":
            return self.family(2, 2)
        if kind == "three_kids_elder":
            return self.family(3, 1, 32, 46)
        while True:
            members = self.family(1, 2, 26, 36)
            grandpa = members[3]
            great = Member("f", grandpa.age + r.randint(20, 28), self.surname())
            if great.age <= 100:
                return members + [great]


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------


@dataclass
class Row:
    building: int
    unit: int
    floor: int
    flat: int
    order: int
    fields: dict[str, str]


@dataclass
class SiteResult:
    spec: SiteSpec
    rows: list[Row]
    households: int


class Registry:
    """ID numbers and phone numbers handed out so far, across all sites."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def id_number(self, rng: Random, region: str, birth: dt.date, sex: str) -> str:
        while True:
            k = rng.randint(0, 499)
            seq = 2 * k + 1 if sex == "m" else 2 * max(k, 1)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self, rng: Random) -> str:
        while True:
            number = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number


def flats(spec: SiteSpec) -> list[tuple[int, int, int, int]]:
    """Every flat in the layout as (building, unit, floor, flat), in order."""
    out = []
    building = 0
    for kind in spec.buildings:
        for _ in range(kind.count):
            building += 1
            for unit in range(1, kind.units + 1):
                for floor in range(1, kind.floors + 1):
                    for flat in range(1, kind.per_floor + 1):
                        out.append((building, unit, floor, flat))
    return out


def generate_site(spec: SiteSpec, registry: Registry) -> SiteResult:
    rng = Random(spec.seed)
    maker = HouseholdMaker(rng)
    layout = flats(spec)
    if spec.households > len(layout):
        raise SystemExit(f"{spec.folder}: {spec.households} households do not fit in {len(layout)} flats")
    occupied = sorted(rng.sample(layout, spec.households))
    rows: list[Row] = []
    resident = 0
    for building, unit, floor, flat in occupied:
        size = rng.choices([s for s, _ in HOUSEHOLD_SIZES], weights=[w for _, w in HOUSEHOLD_SIZES])[0]
        members = maker.make(size)
        assert len(members) == size, (size, members)
        room = f"{floor}{flat:02d}"
        household = f"{building}-{unit}-{room}"
        # Where the household's hukou is from; most members share it.
        home = weighted(rng, SHANGHAI_REGIONS) if rng.random() < 0.72 else weighted(rng, OTHER_REGIONS)
        phones: list[str] = []
        for member in members:
            phones.append(registry.phone(rng) if member.age >= 16 else "")
        for i, member in enumerate(members):
            if member.age < 16:
                adults = [p for p in member.parents if members[p].age >= 16] or [
                    j for j, m in enumerate(members) if m.age >= 16]
                phones[i] = phones[rng.choice(adults)]
        for order, member in enumerate(members):
            resident += 1
            birth = birth_date_for_age(rng, member.age)
            region = home if rng.random() < 0.8 else weighted(rng, SHANGHAI_REGIONS)
            id_number = registry.id_number(rng, region, birth, member.sex)
            given = rng.choice(GIVEN[(member.sex, era(birth.year))])
            age = age_on(birth)
            # About 1% of the others: pregnant women and disabled people.
            pregnant = member.sex == "f" and 22 <= age <= 40 and rng.random() < 0.03
            disabled = rng.random() < 0.006
            priority = age >= 70 or age < 6 or pregnant or disabled
            single_tube = rng.random() < 0.015
            rows.append(Row(building, unit, floor, flat, order, {
                "resident_code": f"{spec.code_prefix}{resident:06d}",
                "name": member.surname + given,
                "id_number": id_number,
                "phone": phones[order],
                "building": str(building),
                "unit": str(unit),
                "room": room,
                "household": household,
                "priority": "1" if priority else "0",
                "single_tube": "1" if single_tube else "0",
            }))
    # Already in order (flats sorted, members in order); sorting states it.
    rows.sort(key=lambda r: (r.building, r.unit, r.floor, r.flat, r.order))
    lo, hi = spec.residents_between
    if not lo <= len(rows) <= hi:
        raise SystemExit(f"{spec.folder}: {len(rows)} residents, expected {lo}–{hi}; adjust the seed or layout")
    return SiteResult(spec, rows, len(occupied))


def building_count(spec: SiteSpec) -> int:
    return sum(kind.count for kind in spec.buildings)


def site_toml(spec: SiteSpec) -> str:
    lines = [
        "# Generated by scripts/generate_rosters.py; edit the script, not this file.",
        f'id = "{spec.id}"',
        f'name = "{spec.folder}"',
        f'address = "{spec.address}"' + ("" if "区" in spec.address else "  # city only: the district is not verified"),
        'time_zone = "Asia/Shanghai"',
        f'zone = "{spec.zone}"',
        f'pool_mode = "{spec.pool_mode}"',
        f'lab = "{spec.lab}"',
        f'opens = "{spec.opens}"',
        f'closes = "{spec.closes}"',
    ]
    for n in range(1, spec.stations + 1):
        lines += ["", "[[stations]]", f'id = "s{n}"', f'name = "{n}号采样台"']
    if spec.slot_groups:
        if sum(spec.slot_groups) != building_count(spec):
            raise SystemExit(f"{spec.folder}: slot groups cover {sum(spec.slot_groups)} buildings, "
                             f"the site has {building_count(spec)}")
        start_hour = int(spec.opens.split(":")[0])
        building = 0
        for window, group in enumerate(spec.slot_groups):
            for _ in range(group):
                building += 1
                lines += [
                    "", "[[slots]]", f'building = "{building}"',
                    f'from = "{start_hour + window:02d}:00"', f'to = "{start_hour + window + 1:02d}:00"',
                ]
        if f"{start_hour + len(spec.slot_groups):02d}:00" > spec.closes:
            raise SystemExit(f"{spec.folder}: slots run past closing time")
    return "\n".join(lines) + "\n"


def roster_csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([row.fields[c] for c in CSV_HEADER])
    return buf.getvalue()


def write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))  # no BOM, "\n" exactly as written


def main(argv: list[str] | None = None) -> int:
    default_out = Path(__file__).resolve().parent.parent / "sites"
    parser = argparse.ArgumentParser(description="Generate the example sites (made-up residents).")
    parser.add_argument("--out", type=Path, default=default_out, help=f"output folder (default: {default_out})")
    args = parser.parse_args(argv)

    registry = Registry()
    for spec in SITES:
        result = generate_site(spec, registry)
        folder = args.out / spec.folder
        folder.mkdir(parents=True, exist_ok=True)
        write(folder / "site.toml", site_toml(spec))
        write(folder / "roster.csv", roster_csv(result.rows))
        priority = sum(r.fields["priority"] == "1" for r in result.rows)
        single = sum(r.fields["single_tube"] == "1" for r in result.rows)
        print(f"{spec.folder} ({spec.id}): {result.households} households, {len(result.rows)} residents, "
              f"{priority} priority, {single} single-tube -> {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
