"""Demo data: a deterministic, ledger-true simulation written in bulk (reset_and_seed_analytics)."""
