"""The trigram model remembers log-probabilities (a long document asks for the same trigrams again and
again) without changing any of them, and its memo stays bounded in a long-lived process (the app)."""
from __future__ import annotations

import math

from workbench.terms import trigrams


def test_remembered_log_probabilities_are_the_models_own(monkeypatch):
    model = trigrams.load()
    model._logp.clear()
    monkeypatch.setattr(trigrams, "LOGP_MEMO", 10)
    text = trigrams.symbols("作出决定的时候，必须维持社会稳定，作出决定的人必须负责。" * 3)
    for k in range(len(text) - 2):
        a, b, c = text[k:k + 3]
        assert model.logp(a, b, c) == math.log2(model.p3(a, b, c))
        assert model.logp(a, b, c) == math.log2(model.p3(a, b, c))  # the remembered value
        assert len(model._logp) <= 10
    model._logp.clear()
