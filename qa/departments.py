"""Department names: normalisation through an alias table, English glosses, and spotting them in questions."""

from __future__ import annotations

import re

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

_SPACE = re.compile(r"\s+")


def normalize(name: str) -> str:
    """The plan's canonical name for a department name or alias (unknown names pass through cleaned)."""
    cleaned = _SPACE.sub("", name).strip("，,。；;：:")
    return ALIASES.get(cleaned, cleaned)


def gloss(name: str) -> str:
    """English gloss of a canonical name; an unknown name is its own gloss."""
    return GLOSSES.get(name, name)


def known_names() -> list[str]:
    """Every canonical name and alias, longest first (so 省发展改革委 wins over 发改委)."""
    return sorted(set(GLOSSES) | set(ALIASES), key=len, reverse=True)


def find_in_text(text: str, extra: list[str] | None = None) -> list[str]:
    """Canonical names of the departments a text mentions, in order of first mention.

    Args:
        text: a question or any text.
        extra: more canonical names to look for (departments of a parsed plan not in the table).
    Returns:
        Canonical names, without repeats.
    """
    names = sorted(set(known_names()) | set(extra or ()), key=len, reverse=True)
    found: list[tuple[int, str]] = []
    taken = [False] * len(text)
    for name in names:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(taken[start:end]):
                found.append((start, normalize(name)))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(name, end)
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
