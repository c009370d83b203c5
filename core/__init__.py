"""Shared infrastructure every app builds on: tenancy, access rules, storage, errors, API bases.

Imports no app of this project (an import-linter contract, tests/test_architecture.py).
"""
