"""Pure domain code: takes data, now and rng as arguments and returns data."""
