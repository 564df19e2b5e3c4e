"""Runs: the layers wired into work on articles.

Owns the public API (:mod:`.api`) and the run's settings, the one reader of the environment
(:mod:`.settings`), the per-article summariser (:mod:`.pipeline`), several
endpoints used as one (:mod:`.balance`), the local batch (:mod:`.batch`), the batch on Ray
Data (:mod:`.ray_batch`, :mod:`.ray_stage`), re-verifying stored records (:mod:`.reverify`)
and ``check-claims`` (:mod:`.check_claims`). Imports core, llm, engine, files and views.
"""
