"""The verifier: one verdict per checked leaf of a summary, against its article.

:mod:`.walker` walks a summary by its schema's plan into the verdicts of :mod:`.verdicts`
(with the policies for failing and unsettled fields); :mod:`.registry`
maps each field kind to its check in :mod:`.checks`; :mod:`.prepared` holds the one prepared
form of an article every check reads; :mod:`.claims` scores free-text claims; :mod:`.align`
locates evidence with character offsets into the original text, in the matching form of
:mod:`.normalise`; :mod:`.text` holds the word, sentence, number and date primitives;
:mod:`.entity_signals` reads what the article treats a name as; :mod:`.phrasing` states a
field for a model judge; :mod:`.judge_scoring` turns the judge's answer into P(yes) and
chooses its context; :mod:`.calibration` combines it with the word-overlap evidence per kind
into one score and three outcomes; :mod:`.drop` removes failing list items. A judge is
handed in; nothing here calls a model.
"""
