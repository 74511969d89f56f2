"""Deterministic demo data (seeded): a company with branches, projects, units, residents, users.

Sizes: tiny (tests), small (make run), large (benchmarks: 50 branches, 1,000 projects).
Later capabilities add their own records through generate()'s steps (tools.demo.activity,
tools.demo.surveys). Not part of the product: `python -m tools.demo --size small` loads it (make run).
Its SQL is in queries/demo/ ("demo/<name>").
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from csm.db import Database, Tx
from csm.org import users

DEMO_PASSWORD = "Demo@2026"
SIZES = {
    "tiny": {"branches": 2, "projects_per_branch": 2, "buildings": 2, "units_per_building": 6},
    "small": {"branches": 4, "projects_per_branch": 3, "buildings": 6, "units_per_building": 24},
    "large": {"branches": 50, "projects_per_branch": 20, "buildings": 10, "units_per_building": 100},
}
CITIES = ["上海", "北京", "杭州", "南京", "苏州", "成都", "重庆", "武汉", "西安", "广州", "深圳",
          "天津", "青岛", "厦门", "长沙", "郑州", "合肥", "宁波", "无锡", "济南"]
ESTATES = ["锦绣花园", "滨江华府", "翠湖天地", "阳光城", "御景湾", "金色家园", "绿地公馆", "星河湾",
           "紫荆苑", "海棠湾", "春晓名苑", "明珠广场", "中央商务中心", "科技园写字楼", "龙湖天街",
           "万科城", "碧桂园", "保利香槟", "融创壹号院", "世茂滨江"]
TYPES = ["residential"] * 6 + ["commercial", "office", "mixed"]
ROADS = ["人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "文化路", "长江路", "黄河路", "滨江大道"]
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
            "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红文辉玉婷雪梅鑫斌宇浩凯晨欣怡子涵"
TODAY = date(2026, 11, 1)  # fixed so that the same seed gives the same data on any day

# One demo account per role and scope (README lists them). Project P001 is in branch B01;
# project P003 (clerk2) is in B02 in the tiny demo (2 projects a branch: scope tests have two
# sides) and in B01 in the small demo of `make run` (3 projects a branch).
DEMO_USERS = [
    ("admin", "系统管理员", "admin", "group", None),
    ("hq", "总部品质部 周敏", "head_office", "group", None),
    ("manager_b1", "分公司经理 李强", "manager", "branch", "B01"),
    ("manager_p1", "项目经理 王芳", "manager", "project", "P001"),
    ("supervisor1", "客服主任 陈静", "supervisor", "project", "P001"),
    ("clerk1", "客服助理 张伟", "clerk", "project", "P001"),
    ("clerk2", "客服助理 刘洋", "clerk", "project", "P003"),
]


def is_empty(db: Database) -> bool:
    counts = db.one("org/counts", {"scope_kind": "group", "scope_id": -1})
    return counts["projects"] == 0 and (db.value("users/count") or 0) == 0


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "136", "158", "186", "177", "150", "189"]) + \
        f"{rng.randrange(10**8):08d}"


def org_frames(size: str, seed: int, today: date = TODAY) -> dict[str, pd.DataFrame]:
    spec = SIZES[size]
    rng = random.Random(seed)
    branches, projects, buildings, units, residents = [], [], [], [], []
    pno = 0
    for b in range(1, spec["branches"] + 1):
        city = CITIES[(b - 1) % len(CITIES)]
        bcode = f"B{b:02d}"
        suffix = "" if b <= len(CITIES) else f"{(b - 1) // len(CITIES) + 1}"
        branches.append({"code": bcode, "name": f"{city}{suffix}分公司"})
        for _ in range(spec["projects_per_branch"]):
            pno += 1
            pcode = f"P{pno:03d}" if pno < 1000 else f"P{pno}"
            # projects differ in size: a third small, a third medium, a third large
            n_buildings = max(1, int(spec["buildings"] * rng.choice((0.5, 1.0, 1.5))))
            per_building = spec["units_per_building"]
            estate = ESTATES[(pno - 1) % len(ESTATES)]
            projects.append({
                "code": pcode, "name": f"{city}{estate}" + ("" if pno <= len(ESTATES) * 2 else f"{pno}期"),
                "branch_code": bcode, "project_type": rng.choice(TYPES),
                "address": f"{city}市{rng.choice(ROADS)}{rng.randrange(1, 999)}号",
                "households": n_buildings * per_building,
            })
            for bl in range(1, n_buildings + 1):
                blcode = f"{bl}"
                buildings.append({"project_code": pcode, "code": blcode, "name": f"{bl}号楼"})
                floors = max(1, per_building // 4)
                for i in range(per_building):
                    floor = i // 4 + 1 if floors else 1
                    ucode = f"{bl}-{floor:02d}{i % 4 + 1:02d}"
                    units.append({"project_code": pcode, "building_code": blcode, "code": ucode,
                                  "floor": floor, "area_m2": float(rng.choice((68, 89, 90, 110, 128, 143)))})
                    if rng.random() < 0.93:  # some units are empty
                        recent = rng.random() < 0.05  # new residents: their move-in revisit is due
                        moved = today - timedelta(days=rng.randrange(3, 30) if recent else rng.randrange(30, 3000))
                        residents.append({"project_code": pcode, "unit_code": ucode,
                                          "name": person_name(rng), "phone": phone(rng),
                                          "relation": rng.choice(["owner"] * 6 + ["family", "tenant"]),
                                          "moved_in_on": moved})
    return {"branches": pd.DataFrame(branches), "projects": pd.DataFrame(projects),
            "buildings": pd.DataFrame(buildings), "units": pd.DataFrame(units),
            "residents": pd.DataFrame(residents)}


def generate(db: Database, size: str = "small", seed: int = 2026, anchor: datetime | None = None) -> dict:
    """Load the organisation, residents, demo users and two years of activity up to `anchor`
    (default: now); return counts for the CLI."""
    anchor = anchor or datetime.now(UTC)
    frames = org_frames(size, seed, anchor.date())

    def load_org(tx: Tx) -> None:
        for table in ("branches", "projects", "buildings", "units", "residents"):
            tx.load(f"demo/load_{table}", frames[table])

    db.transaction(load_org)
    demo_hash = users.hash_password(DEMO_PASSWORD, rounds=10)
    for username, name, role, kind, code in DEMO_USERS:
        scope_id = None
        if kind == "branch":
            scope_id = db.one("org/branch_by_code", {"code": code})["id"]
        elif kind == "project":
            scope_id = db.one("org/project_by_code", {"code": code})["id"]
        users.create(db, "demo", username, name, DEMO_PASSWORD, role, kind, scope_id,
                     password_hash=demo_hash)
    from tools.demo.activity import generate_activity
    from tools.demo.surveys import generate_surveys

    activity = generate_activity(db, size, seed, anchor)
    activity |= generate_surveys(db, size, seed, anchor.date())
    return {table: len(frame) for table, frame in frames.items()} | {"users": len(DEMO_USERS)} | activity
