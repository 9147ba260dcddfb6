"""A deterministic synthetic archive at any size, for benchmarks and load tests.

``generation.generate_corpus`` fills the database; ``synthetic`` makes the rows, which
``statements.bulk`` loads fast on each engine, and ``vocabulary`` (free of Django, so that
the benchmark can import it) holds the words and names.
"""
