"""Who's the Spy (谁是卧底): the game contract (meta, start, act, tick, view, result,
validate_item). Rules live in ``rules``; role table and word-pair picking in ``deal``;
the "did you say your own word" judgement in ``leak``."""
from games.spy.deal import validate_item
from games.spy.rules import act, meta, result, start, tick, view

__all__ = ["meta", "start", "act", "tick", "view", "result", "validate_item"]
