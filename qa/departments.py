"""Department names: normalisation through an alias table, English glosses, and spotting them in questions."""

from __future__ import annotations

import re
from typing import Literal

# The level of government a document comes from: it decides which alias table applies, so that a
# ministry's 发展改革委 never becomes the province's 省发展改革委.
Level = Literal["national", "provincial", "local"]
LEVELS: tuple[Level, ...] = ("national", "provincial", "local")

# Canonical names as the plan writes them, with an English gloss for English questions and answers.
GLOSSES: dict[str, str] = {
    "省经济和信息化委": "Shandong Economic and Information Technology Commission",
    "省发展改革委": "Shandong Development and Reform Commission",
    "省科技厅": "Shandong Department of Science and Technology",
    "省农业厅": "Shandong Department of Agriculture",
    "省海洋与渔业厅": "Shandong Department of Ocean and Fisheries",
    "省林业厅": "Shandong Forestry Department",
    "省质监局": "Shandong Bureau of Quality and Technical Supervision",
    "省商务厅": "Shandong Department of Commerce",
    "省金融办": "Shandong Financial Affairs Office",
    "人民银行济南分行": "People's Bank of China, Jinan Branch",
    "山东银监局": "Shandong Banking Regulatory Bureau",
    "山东证监局": "Shandong Securities Regulatory Bureau",
    "山东保监局": "Shandong Insurance Regulatory Bureau",
    "省通信管理局": "Shandong Communications Administration",
    "省公安厅": "Shandong Department of Public Security",
    "省工商局": "Shandong Administration for Industry and Commerce",
    "省卫生计生委": "Shandong Health and Family Planning Commission",
    "省食品药品监管局": "Shandong Food and Drug Administration",
    "省教育厅": "Shandong Department of Education",
    "省人力资源社会保障厅": "Shandong Department of Human Resources and Social Security",
    "省民政厅": "Shandong Department of Civil Affairs",
    "省旅游发展委": "Shandong Tourism Development Commission",
    "省交通运输厅": "Shandong Department of Transport",
    "省邮政局": "Shandong Postal Administration",
    "省中小企业局": "Shandong Bureau of Small and Medium Enterprises",
    "青岛海关": "Qingdao Customs",
    "济南海关": "Jinan Customs",
    "各市人民政府": "the city governments",
    "省环保厅": "Shandong Department of Environmental Protection",
    "省政府办公厅": "General Office of the Shandong Provincial Government",
    "省信访局": "Shandong Bureau of Letters and Visits",
    "省法制办": "Shandong Legislative Affairs Office",
    "省编办": "Shandong Public Sector Reform Office",
    "省国土资源厅": "Shandong Department of Land and Resources",
    "省新闻出版广电局": "Shandong Press, Publication, Radio, Film and Television Bureau",
    "省网信办": "Shandong Cyberspace Affairs Office",
    "省财政厅": "Shandong Department of Finance",
    "省地税局": "Shandong Local Taxation Bureau",
    "省国税局": "Shandong State Taxation Bureau",
    "省知识产权局": "Shandong Intellectual Property Office",
    "省委组织部": "Organization Department of the CPC Shandong Committee",
}

# Other names people use for the same body → the plan's name. Includes full names, common
# abbreviations, and later names of bodies that were reorganised after 2016.
ALIASES: dict[str, str] = {
    "省发改委": "省发展改革委",
    "省发展和改革委员会": "省发展改革委",
    "发改委": "省发展改革委",
    "省经信委": "省经济和信息化委",
    "经信委": "省经济和信息化委",
    "省经济和信息化委员会": "省经济和信息化委",
    "人行济南分行": "人民银行济南分行",
    "中国人民银行济南分行": "人民银行济南分行",
    "人民银行": "人民银行济南分行",
    "央行济南分行": "人民银行济南分行",
    "省卫计委": "省卫生计生委",
    "省卫生和计划生育委员会": "省卫生计生委",
    "省卫健委": "省卫生计生委",
    "卫健委": "省卫生计生委",
    "卫计委": "省卫生计生委",
    "省人社厅": "省人力资源社会保障厅",
    "人社厅": "省人力资源社会保障厅",
    "省人力资源和社会保障厅": "省人力资源社会保障厅",
    "省食药监局": "省食品药品监管局",
    "食药监局": "省食品药品监管局",
    "省食品药品监督管理局": "省食品药品监管局",
    "省旅游委": "省旅游发展委",
    "省旅游局": "省旅游发展委",
    "省生态环境厅": "省环保厅",
    "省环境保护厅": "省环保厅",
    "环保厅": "省环保厅",
    "省农业农村厅": "省农业厅",
    "农业厅": "省农业厅",
    "省海洋渔业厅": "省海洋与渔业厅",
    "省广电局": "省新闻出版广电局",
    "省国土厅": "省国土资源厅",
    "省交通厅": "省交通运输厅",
    "交通厅": "省交通运输厅",
    "省政府法制办": "省法制办",
    "省委网信办": "省网信办",
    "省金融工作办公室": "省金融办",
    "金融办": "省金融办",
    "省通管局": "省通信管理局",
    "通信管理局": "省通信管理局",
    "省质量技术监督局": "省质监局",
    "省工商行政管理局": "省工商局",
    "工商局": "省工商局",
    "省邮政管理局": "省邮政局",
    "省科学技术厅": "省科技厅",
    "科技厅": "省科技厅",
    "商务厅": "省商务厅",
    "教育厅": "省教育厅",
    "公安厅": "省公安厅",
    "财政厅": "省财政厅",
    "民政厅": "省民政厅",
    "山东银保监局": "山东银监局",
    "银监局": "山东银监局",
    "证监局": "山东证监局",
    "保监局": "山东保监局",
}

# State Council departments as the State Council's own documents print them (the short forms, without
# 国家/中华人民共和国), with an English gloss. Covers the bodies named in 国发〔2018〕42号, 国办发〔2018〕121号
# and 国办发〔2018〕129号 and the other ministries and commissions of the 2018 reorganisation.
NATIONAL_GLOSSES: dict[str, str] = {
    "发展改革委": "National Development and Reform Commission",
    "教育部": "Ministry of Education",
    "科技部": "Ministry of Science and Technology",
    "工业和信息化部": "Ministry of Industry and Information Technology",
    "公安部": "Ministry of Public Security",
    "民政部": "Ministry of Civil Affairs",
    "司法部": "Ministry of Justice",
    "财政部": "Ministry of Finance",
    "人力资源社会保障部": "Ministry of Human Resources and Social Security",
    "自然资源部": "Ministry of Natural Resources",
    "生态环境部": "Ministry of Ecology and Environment",
    "住房城乡建设部": "Ministry of Housing and Urban-Rural Development",
    "交通运输部": "Ministry of Transport",
    "水利部": "Ministry of Water Resources",
    "农业农村部": "Ministry of Agriculture and Rural Affairs",
    "商务部": "Ministry of Commerce",
    "文化和旅游部": "Ministry of Culture and Tourism",
    "卫生健康委": "National Health Commission",
    "退役军人部": "Ministry of Veterans Affairs",
    "应急部": "Ministry of Emergency Management",
    "外交部": "Ministry of Foreign Affairs",
    "人民银行": "People's Bank of China",
    "审计署": "National Audit Office",
    "国资委": "State-owned Assets Supervision and Administration Commission",
    "海关总署": "General Administration of Customs",
    "税务总局": "State Taxation Administration",
    "市场监管总局": "State Administration for Market Regulation",
    "广电总局": "National Radio and Television Administration",
    "体育总局": "General Administration of Sport",
    "统计局": "National Bureau of Statistics",
    "国际发展合作署": "China International Development Cooperation Agency",
    "国管局": "National Government Offices Administration",
    "银保监会": "China Banking and Insurance Regulatory Commission",
    "证监会": "China Securities Regulatory Commission",
    "能源局": "National Energy Administration",
    "粮食和储备局": "National Food and Strategic Reserves Administration",
    "林草局": "National Forestry and Grassland Administration",
    "民航局": "Civil Aviation Administration of China",
    "邮政局": "State Post Bureau",
    "海洋局": "State Oceanic Administration",
    "标准委": "Standardization Administration",
    "版权局": "National Copyright Administration",
    "知识产权局": "National Intellectual Property Administration",
    "网信办": "Cyberspace Administration of China",
    "扶贫办": "State Council Leading Group Office of Poverty Alleviation and Development",
    "空管委办公室": "Office of the National Air Traffic Control Commission",
    "北京冬奥组委": "Beijing Organising Committee for the 2022 Olympic and Paralympic Winter Games",
    "供销合作总社": "All China Federation of Supply and Marketing Cooperatives",
    "中央宣传部": "Publicity Department of the CPC Central Committee",
    "中央统战部": "United Front Work Department of the CPC Central Committee",
    "中央和国家机关工委": "Work Committee for Central and State Organs",
    "中央军委政治工作部": "Political Work Department of the Central Military Commission",
    "全国总工会": "All-China Federation of Trade Unions",
    "全国工商联": "All-China Federation of Industry and Commerce",
    "共青团中央": "Central Committee of the Communist Youth League",
    "全国妇联": "All-China Women's Federation",
    "各省级人民政府": "the provincial governments",
    "各有关省级人民政府": "the provincial governments concerned",
    "各有关部门": "the departments concerned",
}

# Other names of the same State Council bodies → the short form above.
NATIONAL_ALIASES: dict[str, str] = {
    "国家发展改革委": "发展改革委",
    "国家发展和改革委员会": "发展改革委",
    "发改委": "发展改革委",
    "工信部": "工业和信息化部",
    "人社部": "人力资源社会保障部",
    "人力资源和社会保障部": "人力资源社会保障部",
    "住建部": "住房城乡建设部",
    "住房和城乡建设部": "住房城乡建设部",
    "农业部": "农业农村部",
    "国家卫生健康委": "卫生健康委",
    "卫健委": "卫生健康委",
    "应急管理部": "应急部",
    "中国人民银行": "人民银行",
    "央行": "人民银行",
    "国务院国资委": "国资委",
    "国家税务总局": "税务总局",
    "国家市场监管总局": "市场监管总局",
    "国家广电总局": "广电总局",
    "国家体育总局": "体育总局",
    "国家统计局": "统计局",
    "中国银保监会": "银保监会",
    "中国证监会": "证监会",
    "国家能源局": "能源局",
    "国家粮食和物资储备局": "粮食和储备局",
    "国家林草局": "林草局",
    "中国民航局": "民航局",
    "国家邮政局": "邮政局",
    "国家海洋局": "海洋局",
    "国家标准委": "标准委",
    "国家版权局": "版权局",
    "国家知识产权局": "知识产权局",
    "国家网信办": "网信办",
    "国务院扶贫办": "扶贫办",
    "中宣部": "中央宣传部",
}

_SPACE = re.compile(r"\s+")
_NATIONAL_NUMBER = re.compile(r"^(国发|国办发|国函|国办函|中发|中办发)〔")


def _without_province(names: list[str]) -> dict[str, str]:
    """Each provincial name or alias asked without its 省 (海洋渔业厅, 公安厅) → its canonical name; only names
    of three characters or more once shortened, and none that is already a name of its own."""
    out: dict[str, str] = {}
    for name in names:
        short = name.removeprefix("省")
        if short != name and len(short) >= 3 and short not in GLOSSES and short not in ALIASES:
            out.setdefault(short, ALIASES.get(name, name))
    return out


SHORT_ALIASES = _without_province([*GLOSSES, *ALIASES])


def level_of(number: str, issuer: str) -> Level:
    """Which level of government issued a document, from its 文号 and 发文机关 ("provincial" when unsure).

    Args:
        number: e.g. 国办发〔2018〕121号 or 鲁政发〔2016〕14号.
        issuer: e.g. 国务院办公厅 or 山东省人民政府.
    """
    if _NATIONAL_NUMBER.match(number) or issuer.startswith(("国务院", "中共中央")):
        return "national"
    if "省" in issuer or not issuer:
        return "provincial"
    if re.search(r"[市县区州盟]", issuer):
        return "local"
    return "provincial"


def normalize(name: str, level: Level = "provincial") -> str:
    """The canonical name for a department name or alias at a level (unknown names pass through cleaned).

    Args:
        name: as printed or as asked, e.g. 省发改委 or 国家发展改革委.
        level: the document's level; the provincial table (the plan's) is the default, a city
            document's names are only cleaned, a State Council document uses the ministries' table.
    """
    cleaned = _SPACE.sub("", name).strip("，,。；;：:")
    if level == "national":
        return NATIONAL_ALIASES.get(cleaned, cleaned)
    if level == "local":
        return cleaned
    return ALIASES.get(cleaned) or SHORT_ALIASES.get(cleaned, cleaned)


def gloss(name: str) -> str:
    """English gloss of a canonical name (provincial or national); an unknown name is its own gloss."""
    return GLOSSES.get(name) or NATIONAL_GLOSSES.get(name, name)


def known_names() -> list[str]:
    """Every canonical name and alias, longest first (so 省发展改革委 wins over 发改委)."""
    return sorted(set(GLOSSES) | set(ALIASES) | set(SHORT_ALIASES), key=len, reverse=True)


def _spans(text: str, extra: list[str] | None = None) -> list[tuple[int, str, str]]:
    """(start, the words as written, canonical name) of each department name or alias in a text, in order; a
    longer name wins over one inside it (省发展改革委 over 发改委)."""
    names = sorted(set(known_names()) | set(extra or ()), key=len, reverse=True)
    found: list[tuple[int, str, str]] = []
    taken = [False] * len(text)
    for name in names:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(taken[start:end]):
                found.append((start, name, normalize(name)))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(name, end)
    return sorted(found)


def mentions(text: str, extra: list[str] | None = None) -> list[tuple[str, str]]:
    """(the words as written, canonical name) of each department name or alias in a Chinese text, in order;
    a longer name wins over one inside it (省发展改革委 over 发改委).

    Args:
        text: a question or any text.
        extra: more canonical names to look for (departments of a parsed plan not in the table).
    """
    return [(name, canonical) for _, name, canonical in _spans(text, extra)]


def find_in_text(text: str, extra: list[str] | None = None) -> list[str]:
    """Canonical names of the departments a text mentions, in order of first mention.

    Args:
        text: a question or any text.
        extra: more canonical names to look for (departments of a parsed plan not in the table).
    Returns:
        Canonical names, without repeats.
    """
    found: list[tuple[int, str]] = [(start, canonical) for start, _, canonical in _spans(text, extra)]
    lowered = text.lower()
    for canonical, english in GLOSSES.items():
        core = english.lower().removeprefix("shandong ").removeprefix("the ")
        at = lowered.find(core)
        if at >= 0:
            found.append((len(text) + at, canonical))
    out: list[str] = []
    for _, name in sorted(found):
        if name not in out:
            out.append(name)
    return out
