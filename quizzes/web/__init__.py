"""What every feature's pages share: the clock, display helpers, base forms, ownership
loaders, error pages, rate limits, navigation, pagination, import previews and once-tokens.

Features import from here and from quizzes.domain, never from each other's pages or forms
(the contracts in pyproject.toml, checked by tests/test_architecture.py).
"""
