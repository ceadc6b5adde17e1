"""gunicorn settings for the benchmark and test servers (bench/load.py, bench/load_answers.py).

They run several workers with rate limits in memory on purpose, every limit lifted far above
what they send; the production check of the repository's gunicorn.conf.py, which refuses
that combination, is left out here by naming this file instead."""
