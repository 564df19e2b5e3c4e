"""What a person reads: the terminal view of a record (:mod:`.terminal`) and the HTML report
(:mod:`.html`). Built from the verdicts alone, for any schema. Imports only :mod:`summarizer.core`.
"""
