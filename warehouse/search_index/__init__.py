"""The search over the whole monitor (issue #19): Dutch words (dutch.py, analysis.py), the thesaurus (thesaurus.py),
how a typed search is read (query.py), the index the build writes beside the warehouse (index.py) and matching and
ranking against it (engine.py). The build and the app both use it; it imports nothing from the app.
"""
