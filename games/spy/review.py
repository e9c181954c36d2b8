"""The review rule for word pairs: two words that mean the same thing make a broken round.

Who's the Spy works when the two words share clues but are different things. When they are
the same thing under two names (学霸/尖子生, password/passcode, chips/fries in British
English) the spy cannot be found, because there is nothing to tell apart. A pair is flagged
when:

* one word contains the other ("苹果"/"苹果汁", "bell"/"bell tower");
* the words use the same set of characters (牛奶/奶牛) or are one English word inflected
  (chip/chips);
* both words sit in one group of ``SYNONYMS`` below: the known near-synonyms and regional
  names for one thing, written for Campfire. Add a group when a reviewer finds a pair that
  is one thing under two names.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from games.text import fold
from games.words import same_word

SYNONYMS: tuple[tuple[str, ...], ...] = (
    # Chinese: one thing, two names (or regional names)
    ("学霸", "尖子生", "优等生", "好学生"), ("夜猫子", "熬夜党"), ("第一名", "冠军", "状元"),
    ("汤圆", "元宵"), ("葡萄", "提子"), ("冰淇淋", "雪糕", "冰激凌"), ("口红", "唇膏", "唇彩"),
    ("闺蜜", "死党", "好朋友", "好友", "挚友"), ("老板", "领导", "上司"), ("吃货", "美食家"),
    ("熬夜", "通宵"), ("红包", "压岁钱"), ("开心", "高兴", "快乐"), ("激动", "兴奋"),
    ("梦想", "理想"), ("店长", "经理"), ("秘书", "助理"), ("清洁工", "环卫工", "保洁员"),
    ("导游", "领队"), ("主持人", "主播"), ("胡同", "弄堂", "巷子", "小巷"), ("码头", "港口"),
    ("天台", "屋顶", "楼顶"), ("毛巾", "浴巾", "面巾"), ("土豆", "马铃薯", "洋芋"), ("番茄", "西红柿"),
    ("玉米", "苞米"), ("自行车", "单车", "脚踏车"), ("出租车", "的士"), ("电脑", "计算机"),
    ("妈妈", "母亲"), ("爸爸", "父亲"), ("医生", "大夫"), ("警察", "民警"),
    ("厕所", "洗手间", "卫生间"), ("冰箱", "雪柜"), ("网约车", "专车"), ("薯条", "炸薯条"),
    ("手机", "移动电话"), ("番薯", "红薯", "地瓜"), ("宾馆", "酒店", "旅馆"), ("电影院", "影院"),
    ("相片", "照片"), ("感冒", "着凉"), ("橘子", "桔子"), ("花生", "落花生"), ("公交车", "巴士"),
    ("幼儿园", "托儿所"), ("初恋", "初恋情人"), ("同学", "校友"), ("帅哥", "型男"), ("手电筒", "电筒"),
    # English: one thing, two names (or British and American names)
    ("chips", "fries", "french fries"), ("password", "passcode", "passphrase"), ("harbor", "port", "harbour"),
    ("tourist", "traveler", "traveller"), ("customer", "client"), ("boss", "manager"), ("fog", "mist"),
    ("barber", "hairdresser"), ("secretary", "assistant"), ("happy", "glad", "cheerful"),
    ("luck", "fortune"), ("dream", "goal"), ("cup", "mug"), ("fireworks", "firecrackers"),
    ("courier", "mail carrier", "delivery driver", "postman"), ("noodles", "spaghetti", "pasta"),
    ("sofa", "couch"), ("pants", "trousers"), ("elevator", "lift"), ("truck", "lorry"),
    ("cookie", "biscuit"), ("candy", "sweets"), ("apartment", "flat"), ("movie", "film"), ("taxi", "cab"),
    ("soccer", "football"), ("vacation", "holiday"), ("garbage", "trash", "rubbish"),
    ("sneakers", "trainers"), ("subway", "underground", "metro"), ("mom", "mother", "mum"),
    ("dad", "father"), ("kid", "child"), ("twins", "siblings"), ("scared", "afraid"), ("big", "large"),
    ("cafe", "coffee shop"), ("stone", "rock"), ("road", "street"), ("sea", "ocean"), ("present", "gift"),
)


@lru_cache(maxsize=1)
def _groups() -> dict[str, frozenset[int]]:
    """Each folded word -> the groups it belongs to."""
    found: dict[str, set[int]] = {}
    for index, group in enumerate(SYNONYMS):
        for word in group:
            found.setdefault(fold(word), set()).add(index)
    return {word: frozenset(g) for word, g in found.items()}


def listed_synonyms(a: str, b: str) -> bool:
    groups = _groups()
    return bool(groups.get(fold(a), frozenset()) & groups.get(fold(b), frozenset()))


def pair_problems(words: Sequence[str]) -> list[str]:
    """Why these two words make a pair the spy cannot be found in; empty when they are fine."""
    a, b = fold(words[0]), fold(words[1])
    if not a or not b or a == b:
        return []  # the item validator already says so
    if a in b or b in a:
        return ["one word contains the other: the spy would say the civilians' word"]
    if set(a) == set(b):
        return ["the two words use the same characters"]
    if a.isascii() and b.isascii() and same_word(a, b):
        return ["the two words are one word, inflected"]
    if listed_synonyms(words[0], words[1]):
        return ["the two words are listed as synonyms (games/spy/review.py): one thing under two names"]
    return []
