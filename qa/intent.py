"""What a question asks: its kind, its language, whether it follows up on the previous turn, and scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .departments import find_in_text
from .retrieve import CJK as CJK_CHAR
from .retrieve import has_cjk


class Intent(str, Enum):
    """The kinds of question the assistant routes differently."""

    DEPARTMENT = "department"  # 哪个部门 / 谁负责 / which department
    LEAD = "lead"  # 牵头 / who leads
    TARGET = "target"  # 多少 / 目标 / how many
    OUTLINE = "outline"  # 有哪些重点行动 / what are the actions
    REVERSE = "reverse"  # 省商务厅负责哪些工作 / what does X handle
    METADATA = "metadata"  # 文号 / 发文机关 / 印发日期
    GENERAL = "general"
    OUT_OF_SCOPE = "out_of_scope"


_I = re.IGNORECASE
# Measure words a count is asked in after 几 (几个, 几名, 几场): "how many" of something (not 第几, an ordinal).
COUNT_UNITS = "个家名位场次所座台张辆亩批户期"
PATTERNS: list[tuple[Intent, re.Pattern[str]]] = [
    (Intent.METADATA, re.compile(
        r"文号|发文字号|字号|发文机关|发文单位|印发日期|成文日期|发布日期|哪天(印发|发布|出台)|什么时候(印发|发布|出台|下发)|"
        r"哪一?年(印发|发布|出台)|谁(印发|发布|制定|出台)的|哪个(单位|机关)(印发|发布|制定)|文件(名称|标题|叫什么)|全称|抄送|主送|"
        r"document number|(when|who|date).{0,30}(issu(ed|ing|er)|publish(ed|ing)?\b)|issuing (authority|body)|release date|"
        r"when was (it|the plan|this plan|the document)|"
        r"title of the (plan|document)|full title", _I)),
    (Intent.OUTLINE, re.compile(
        r"(有|包括|包含|分为|涉及)(哪些|哪几|几)(个|项|条)?(重点行动|行动|措施|保障措施|部分|方面|领域|目标)|"
        r"(重点行动|保障措施|总体目标|行动|措施|部分|领域)(都)?(有|包括|包含|是)(哪些|哪几|什么)|计划(的)?目录|提纲|框架结构|"
        r"几(个|项)(重点)?行动|几(个|项|条)(保障)?措施|"
        r"what are the ([\w-]+ ){0,3}(actions|measures|goals|objectives|parts|areas)\b|(what|which) ([\w-]+ ){0,2}(measures|safeguards)\b|"
        r"list (all )?the (actions|measures|goals)|"
        r"outline|table of contents|how many (key )?(actions|measures)", _I)),
    # the plan names the lead first (列第一位者为牵头部门): the one listed first is asked for as the lead (排头的是谁？
    # 名单上排第一的是哪个委？ 列在最前面的是哪个厅？ 名单最前头是哪个厅？)
    (Intent.LEAD, re.compile(
        r"牵头|领头|挑头|带头|(名单[上里中]?的?)?(排头|打头|(排|列)(在)?(第一|最前|头一)|最前头|第一位的)|"
        r"名单[上里中]?的?(头一个|第一个)|主责|主管|"
        r"lead(s|ing)?\b|in charge|first[- ](listed|named)|main(ly)? responsible|primar(y|ily) responsible", _I)),
    (Intent.DEPARTMENT, re.compile(
        r"哪(个|些|几个|几家)?(部门|单位|机构)|什么部门|哪几?家|谁(来)?(负责|管|抓|推进|主抓|负责管|建)|找谁|找哪|归哪|归谁|哪管|由谁|谁在|"
        r"谁是|谁家|主管部门|负责部门|责任部门|职责|"
        r"(部门|单位)[^，。？?]{0,8}(哪|谁|几(个|家))|"  # the question word after the noun: 参与的部门都有谁？ 部门有哪几家？
        # the bodies named as responsible, asked for in any words (负责的单位能全列出来吗？ 涉及的厅局能一个个说说不？)
        r"(负责|参与|涉及|牵涉|承担)的?(单位|部门|厅局|委厅|机构)|厅局|委厅|"
        r"几(个|家)(部门|单位|机构)|(负责|管|参与)[^，。？?]{0,8}几(个|家)[？?]?$|"  # how many are responsible: 管这事的有几家？
        r"几(个|家)[^，。？?]{0,4}(负责|管|参与)|"  # 这条一共几家负责？
        r"which (department|agenc|bod|office|authorit|ministr|bureau|regulator)|who (is|are) responsible|who handles|who manages|"
        r"responsible (department|body|agency)|who (takes care|deals|oversees|runs|is in charge)|whom should", _I)),
    (Intent.TARGET, re.compile(
        r"多少|目标|达到|比例|(?<![哪这那第])几[" + COUNT_UNITS + r"]|几成|几倍|百分之|覆盖率|普及率|增长|递增|规模|数量|指标|多快|多大|什么程度|什么水平|"
        r"哪年|什么时候|何时|年底前|期限|how (many|much|fast|large)|\b(targets?|goals?|rates?)\b|percentage|(what|which) (share|proportion)|"
        r"by (what|which) (year|date)|"
        r"when will|deadline|how big|what level", _I)),
]

INTENT_RE: dict[Intent, re.Pattern[str]] = dict(PATTERNS)

REVERSE_RE = re.compile(
    r"(负责|牵头|参与|管|承担|分管)(了)?(哪些|什么|啥|几项|多少项)|(哪些|什么)(工作|任务|事情|事项)|(哪些|哪份|哪几份)文件|"
    r"which documents|"
    r"what (does|do|did) .+ (handle|lead|do|cover|oversee|manage|take care)|(tasks|work|duties|responsibilit\w*) (of|for) |"
    r"(which|what) tasks", _I)

# Words that point back at what was just discussed, wherever they stand (搞这个图啥？ / Who runs that?).
BACK_REFERENCE_RE = re.compile(
    r"这|此事|它|他们|她们|上面|上述|前面|刚才|里面|里头|其中|"
    r"\b(it|its|that|this|these|those|there|they|their|them)\b", _I)
# A follow-up opens with a linking word, is a short "…呢？", or points back (BACK_REFERENCE_RE).
FOLLOW_UP_RE = re.compile(
    r"^(那|其|该|此|还有|另外|以及|再|又)|^.{1,8}呢[？?]?$|^(and|what about|how about|then|also|so)\b|"
    + BACK_REFERENCE_RE.pattern, _I)

# A question that asks for something (谁, 啥, 哪几个, what, who) rather than whether (吗, 有没有, 管不管, does it …).
ZH_QUESTION_WORDS = "谁|什么|啥|哪|多少|几|怎|如何|咋"
WH_RE = re.compile(ZH_QUESTION_WORDS + r"|为何|^\W*((and|so|then|but)\s+)?(who|what|which|how|when|where|why|whose)\b", _I)
# V不V (搞不搞) by a named group: ASKS_RE embeds this pattern after groups of its own, where \1 would be another group
YES_NO_RE = re.compile(r"吗|有没有|是不是|是否|能不能|会不会|要不要|(?P<verb>[\u4e00-\u9fff])[不没](?P=verb)|[不没][？?。!！]*$|"
                       r"^\W*((and|so|then|but)\s+)?(does|do|did|is|are|was|were|will|would|can|could|should|has|have)\b", _I)

# A piece of a message that asks something: a question word anywhere (啥, 多大, 哪俩, who) or a yes/no ending.
ASKS_RE = re.compile(ZH_QUESTION_WORDS + r"|多大|多久|何时|\b(how|what|which|who|when|where|whose)\b|" + YES_NO_RE.pattern,
                     re.I)

# Words that say what is asked, not what it is about; removed to see if a question names a topic.
ASKING_WORDS = re.compile(
    r"那么|那|呢|吗|它的|它|其|这个|这项|这事|这件事|这块|此事|归|管|抓|任务|工作|的|是|谁|分别|哪个|哪些|哪|部门|牵头|负责|目标|多少|具体|要求|情况|措施|举措|办法|安排|有|"
    r"还有|另外|计划|达到|是什么|什么|单位|怎么|样|说说|详细|一下|介绍|请|问|呀|啊|吧|，|。|？|\?|!|！|\s|"
    r"\b(and|what|about|how|its|it|the|a|is|are|was|who|which|department|departments|lead|leads|leading|target|"
    r"targets|goal|goals|responsible|for|of|that|this|then|also|so|tell|me|more|does|do|many|much)\b", _I)

# The shape of a department name the alias table does not know (省体育局), for reverse questions.
DEPARTMENT_LIKE_RE = re.compile(r"(省|市|山东)[\u4e00-\u9fff]{1,10}?(厅|局|委员会|委|办公室|办|部|分行|海关)")


@dataclass(frozen=True, slots=True)
class Reading:
    """How a question was read: intent, language, departments named, and whether it follows up."""

    intent: Intent
    language: str  # "zh" or "en"
    departments: tuple[str, ...]
    follow_up: bool  # refers to the previous turn's topic
    has_topic: bool  # names a topic of its own
    points_back: bool = False  # a follow-up that says so with a word like 这个, 上面, that
    # where the comment on what it points back to starts, in a follow-up that opens by pointing back and asks
    # for something about it (这事谁来挑头？ / What is it supposed to underpin?); None otherwise
    comment_from: int | None = None


# In a clause that asks whether (吗, 吧, 是不是, 行不行), 几 before a measure word and a noun is "a few", not "how
# many": 是不是只挑几个品种？ asks whether the plan picks a few kinds, 就是几家大公司凑一块儿吧？ whether it is a few
# firms, 能不能带上“互联网金融”几个字？ whether those words may be used. A count after 十 or a digit (二十几户) is an
# approximate figure, left as it is.
INDEFINITE_RE = re.compile(r"(?<![哪这那十\d])几(?=[个家项种位条所座台名户类批处][\u4e00-\u9fff](?<!的))")
GUESS_RE = re.compile(r"吧[？?。!！]*$|对吧")  # a guess put as a question (是只挑几个吧？)
WHETHER_RE = re.compile(YES_NO_RE.pattern + "|" + GUESS_RE.pattern)
# The marks that end a clause; the question marks also end a piece of a message (conversation.split_parts).
CLAUSE_MARKS = "，,。；;：:！!"
QUESTION_MARKS = "？?"
CLAUSE_END_RE = re.compile(f"[^{CLAUSE_MARKS}{QUESTION_MARKS}]+[{CLAUSE_MARKS}{QUESTION_MARKS}]*")  # a clause, its marks kept


def unguessed(question: str) -> str:
    """The clauses of a question that do not guess (GUESS_RE): what a guess names (目标是到2020年吧？ 这是制造那块的
    行动目标吧？) is a premise to check, not what is asked about."""
    return "".join(clause for clause in CLAUSE_END_RE.findall(question) if not GUESS_RE.search(clause))


def without_indefinites(question: str) -> str:
    """The question with each indefinite 几 (INDEFINITE_RE, in a clause that asks whether) read as 些, so that its
    wording no longer asks for a figure. In another clause 几 may ask (轻轨要修几个站，计划里说了吗？)."""
    if "几" not in question:
        return question
    return "".join(INDEFINITE_RE.sub("些", clause) if WHETHER_RE.search(clause) else clause
                   for clause in CLAUSE_END_RE.findall(question))


def language_of(question: str, departments: tuple[str, ...] = ()) -> str:
    """"zh", or "en" for a question in English (Chinese department names or quoted terms inside do not count)."""
    rest = question
    for name in departments:
        rest = rest.replace(name, " ")
    rest = re.sub(r"[（(][^）)]*[）)]|[“\"「][^”\"」]*[”\"」]", " ", rest)
    latin_words = re.findall(r"[A-Za-z]{2,}", rest)
    return "en" if len(latin_words) >= 2 and len(CJK_CHAR.findall(rest)) <= 2 else "zh" if has_cjk(question) else "en"


def classify(question: str) -> Intent:
    """The intent of a question from its wording alone."""
    question = without_indefinites(question)
    for intent, pattern in PATTERNS:
        if pattern.search(question):
            return intent
    return Intent.GENERAL


def read(question: str, plan_departments: list[str], has_history: bool) -> Reading:
    """Read a cleaned question.

    Args:
        question: the cleaned question.
        plan_departments: canonical department names of the plans (for reverse lookups).
        has_history: whether earlier turns exist (only then can it be a follow-up).
    """
    departments = tuple(find_in_text(question, plan_departments))
    language = language_of(question, departments)
    intent = classify(question)
    if not departments and REVERSE_RE.search(question) and (unknown := DEPARTMENT_LIKE_RE.search(question)):
        departments = (unknown.group(0),)
    if departments and REVERSE_RE.search(question) and intent not in (Intent.METADATA, Intent.OUTLINE):
        intent = Intent.REVERSE
    # what the question is about is what is left once the words that say what it asks are gone, including the
    # words its intent was read from (哪个部门领头 → 领头)
    pattern = INTENT_RE.get(intent)
    leftover = ASKING_WORDS.sub("", pattern.sub("", question) if pattern is not None else question)
    has_topic = len(leftover) >= (2 if language == "zh" else 4)
    follow_up = has_history and (not has_topic or bool(FOLLOW_UP_RE.search(question)))
    back = BACK_REFERENCE_RE.search(question) if has_history else None
    asks_about_it = back is not None and bool(WH_RE.search(question)) and not YES_NO_RE.search(question)
    return Reading(intent=intent, language=language, departments=departments, follow_up=follow_up,
                   has_topic=has_topic, points_back=back is not None, comment_from=back.end() if asks_about_it else None)
