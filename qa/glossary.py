"""Bridges to the plan's vocabulary for BM25: English words → Chinese terms, everyday Chinese → policy terms."""

from __future__ import annotations

import re

# Common words of Chinese development plans and their usual English renderings (not any one plan's
# titles). Longer phrases are matched first.
EN_ZH: dict[str, str] = {
    "cross-border e-commerce": "跨境电子商务", "e-commerce": "电子商务", "ecommerce": "电子商务", "online shopping": "网络零售",
    "manufacturing": "制造", "smart manufacturing": "智能制造", "intelligent manufacturing": "智能制造",
    "workshop": "车间", "workshops": "车间", "factory": "工厂", "factories": "工厂", "industrial design": "工业设计",
    "customization": "个性化定制", "customized": "定制", "industrial cloud": "工业云", "industrial chain": "产业链",
    "industrial park": "园区", "park": "园区", "parks": "园区", "robot": "机器代人", "robots": "机器代人",
    "agriculture": "农业", "agricultural": "农业", "farm": "农场", "farmers": "农民", "farming": "农业",
    "rural": "农村", "village": "村", "villages": "村", "traceability": "追溯", "trace": "追溯",
    "energy": "能源", "power grid": "电网", "smart grid": "智能电网", "grid": "电网", "electricity": "用电",
    "charging": "充换电", "electric vehicle": "电动汽车", "electric vehicles": "电动汽车", "storage": "储能",
    "finance": "金融", "financial": "金融", "bank": "银行", "banks": "银行", "banking": "银行", "insurance": "保险",
    "lending": "网络借贷", "loan": "借贷", "loans": "借贷", "p2p": "P2P", "crowdfunding": "众筹",
    "private equity": "私募股权", "equity": "股权", "securities": "证券", "payment": "支付", "payments": "支付",
    "health": "健康", "medical": "医疗", "hospital": "医院", "hospitals": "医院", "telemedicine": "远程医疗",
    "remote": "远程", "appointment": "预约", "food": "食品", "drug": "药品", "drugs": "药品", "medicine": "药品",
    "education": "教育", "school": "学校", "schools": "学校", "online education": "在线教育",
    "elderly": "养老", "pension": "养老", "aged care": "养老", "tourism": "旅游", "travel": "旅游", "tourist": "游客",
    "logistics": "物流", "delivery": "配送", "distribution": "配送", "express": "快递", "cold chain": "冷链",
    "hazardous": "危险品", "dangerous goods": "危险品", "freight": "物流", "transport": "交通运输",
    "transportation": "交通", "traffic": "交通", "highway": "高速公路", "highways": "高速公路", "expressway": "高速公路",
    "bus": "公交", "buses": "公交", "public transport": "公共交通", "metro": "地铁", "subway": "地铁", "taxi": "打车",
    "car repair": "汽车维修", "bicycle": "自行车", "environment": "环境", "environmental": "环境", "pollution": "污染",
    "air quality": "空气", "water quality": "水质", "waste": "废弃物", "recycling": "回收", "radiation": "辐射",
    "nuclear": "核电站", "marine": "海洋", "ocean": "海洋", "government": "政府", "website": "网站",
    "websites": "网站", "government affairs": "政务", "administrative": "行政", "licensing": "行政许可",
    "permits": "许可", "information sharing": "信息共享", "sharing": "共享", "data": "数据", "big data": "大数据",
    "cloud": "云", "cloud computing": "云计算", "internet of things": "物联网", "iot": "物联网", "broadband": "宽带",
    "fiber": "光纤", "fibre": "光纤", "optical": "光纤", "mobile": "移动", "wifi": "WIFI", "wi-fi": "WIFI",
    "base stations": "基站", "base station": "基站", "4g": "4G", "3g": "3G", "penetration": "普及率",
    "coverage": "覆盖", "users": "用户", "household": "家庭", "households": "家庭", "network security": "网络安全",
    "cybersecurity": "网络安全", "security": "安全", "information security": "信息安全", "beidou": "北斗",
    "chips": "芯片", "software": "软件", "tax": "税收", "taxes": "税收", "r&d": "研发", "research": "研发",
    "intangible assets": "无形资产", "fund": "资金", "funds": "资金", "fiscal": "财政", "credit": "信用",
    "intellectual property": "知识产权", "patent": "知识产权", "market access": "市场准入", "registration": "注册",
    "entrepreneurship": "创业", "startup": "创业", "start-up": "创业", "incubator": "孵化", "maker space": "众创空间",
    "innovation": "创新", "talent": "人才", "talents": "人才", "researchers": "科研人员", "universities": "高校",
    "training": "培训", "experts": "专家", "expert": "专家", "think tank": "智库", "coordination": "协调",
    "target": "目标", "goal": "目标", "demonstration": "示范", "pilot": "试点", "pilots": "试点", "platform": "平台",
    "platforms": "平台", "enterprises": "企业", "companies": "企业", "city": "城市", "cities": "城市",
    "county": "县", "counties": "县", "province": "全省", "customs": "海关", "consumption": "消费",
    "information technology": "信息技术", "monitoring": "监测", "supervision": "监管", "regulation": "监管",
    "petition": "信访", "letters and visits": "信访", "open data": "数据开放", "public data": "公共数据",
    "benefiting the people": "信息惠民", "total": "总额", "value added": "增加值", "added value": "增加值",
    "growth": "增长 递增", "annual": "年均", "share": "比例", "proportion": "比例", "licence": "许可",
    "licences": "许可", "license": "许可", "licenses": "许可", "rack": "机架", "racks": "机架",
    "data center": "数据中心", "data centers": "数据中心", "data centre": "数据中心", "people's livelihood": "民生", "employment": "就业", "social security": "社会保障",
}
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(EN_ZH, key=len, reverse=True)) + r")\b", re.I)


def to_chinese_terms(question: str) -> str:
    """The Chinese terms for the English words of a question that the glossary knows, space-separated."""
    return " ".join(dict.fromkeys(EN_ZH[m.group(1).lower()] for m in _PATTERN.finditer(question)))


# Everyday words citizens use → the terms policy documents use for the same thing (general usage,
# not any one plan's titles). Added to the BM25 query beside the question's own words.
EVERYDAY_ZH: dict[str, str] = {
    "网贷": "网络借贷 P2P", "跑路": "风险 监管", "非法集资": "非法吸收公众存款", "理财": "财富管理 理财",
    "看病": "医疗 诊疗", "挂号": "预约挂号", "医生": "医疗 专家", "问诊": "远程医疗", "会诊": "远程医疗",
    "养老院": "养老服务", "老人": "养老 老年", "老年人": "养老 老年", "奶粉": "婴幼儿配方食品", "假货": "假冒 追溯",
    "查来源": "追溯", "溯源": "追溯", "网课": "在线教育", "上课": "教育", "学生": "教育 学生",
    "打车": "约车 打车", "网约车": "约车", "修车": "汽车维修", "修理厂": "汽车维修", "车辆维修": "汽车维修",
    "公交卡": "一卡通", "地铁": "地铁 轨道", "等车": "公交到站", "堵车": "交通 流量",
    "快递": "快递 配送", "快递柜": "快递 自提网点", "送货": "配送", "冷库": "冷藏库 冷链",
    "电费": "用电 交费", "交电费": "在线交费 用电", "充电桩": "充换电设施", "水费": "供水", "燃气费": "燃气",
    "网店": "电子商务 网络零售", "开网店": "电子商务", "淘宝": "电子商务", "营业执照": "工商注册 登记",
    "办执照": "工商注册 登记", "注册公司": "工商注册 市场主体", "盗版": "知识产权 侵权", "侵权": "知识产权 侵权",
    "专利": "知识产权", "商标": "知识产权", "黑客": "网络安全", "病毒": "网络安全", "个人信息": "信息安全 数据",
    "废品": "废旧资源 回收", "旧家电": "废旧资源 回收", "垃圾": "废弃物", "排污": "污染 排污", "雾霾": "大气 空气",
    "空气": "空气 大气", "工厂": "工厂 车间 制造", "机器人": "机器代人 智能制造", "种地": "农业 农民",
    "农民": "农民 农业", "村里": "农村", "网速": "宽带 接入能力", "上网": "宽带 互联网", "免费wifi": "免费 WIFI",
    "信号": "基站 覆盖", "办事": "政务服务", "审批": "行政许可 审批", "领导信箱": "领导信箱", "上访": "信访",
    "找工作": "就业", "创业": "创业 众创", "大学生": "高校 创业", "老师": "教师 科研人员", "兼职": "兼职",
    "赚的钱": "收入", "工资": "收入", "旅游": "旅游", "景点": "景区", "门票": "在线预订",
}
_EVERYDAY = re.compile("|".join(re.escape(k) for k in sorted(EVERYDAY_ZH, key=len, reverse=True)))


def policy_terms(question: str) -> str:
    """The policy terms for the everyday words in a Chinese question, space-separated."""
    return " ".join(dict.fromkeys(EVERYDAY_ZH[m.group(0)] for m in _EVERYDAY.finditer(question.lower())))
