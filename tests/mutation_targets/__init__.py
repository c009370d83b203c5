"""Tests that kill the mutation gate's meaningful survivors (scripts/mutation_targets.py)."""
