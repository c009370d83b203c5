"""The mutation gate's one list: each security-relevant module and the tests that cover it.

`make mutation` (scripts/mutation.py) mutates these modules only, each against its own tests, so a
run takes minutes, not hours. A module that moves (the claims go to recognition/ingest/claims.py)
changes here and nowhere else; tests/test_mutation_targets.py fails while a path is stale.
"""

GATE = 90.0  # percent of mutants killed, per module (issue 22)

CLAIMS = "recognition/ingest/claims.py"

TARGETS: dict[str, list[str]] = {
    "core/access.py": [
        "tests/mutation_targets/test_access_rules.py", "tests/events/test_permissions.py",
        "tests/sharing/test_organizer_rights.py", "tests/tenancy/test_team.py",
    ],
    "core/api.py": [
        "tests/mutation_targets/test_scoped_api.py", "tests/test_isolation.py", "tests/api/test_isolation_sweep.py",
        "tests/api/test_api_keys.py", "tests/tenancy/test_auth.py", "tests/api/test_idempotency_secrets.py",
    ],
    "core/api_keys.py": [
        "tests/mutation_targets/test_api_key_scopes.py", "tests/api/test_api_keys.py",
        "tests/api/test_api_keys_creator_leaves.py", "tests/web/test_api_keys_page.py",
    ],
    "core/idempotency.py": [
        "tests/mutation_targets/test_idempotency_rules.py", "tests/api/test_idempotency.py",
        "tests/api/test_idempotency_secrets.py",
    ],
    "core/ratelimit.py": [
        "tests/mutation_targets/test_rate_windows.py", "tests/mutation_targets/test_backoff_waits.py",
        "tests/abuse/test_counters.py",
        "tests/abuse/test_login_backoff.py", "tests/sharing/test_pin_limits.py",
    ],
    "core/logins.py": [
        "tests/mutation_targets/test_login_counts.py", "tests/abuse/test_login_backoff.py", "tests/tenancy/test_auth.py",
    ],
    "core/parsers.py": [
        "tests/mutation_targets/test_parser_limits.py", "tests/abuse/test_json_limits.py",
        "tests/abuse/test_api_input.py", "tests/abuse/test_form_limits.py",
    ],
    "events/access.py": [
        "tests/mutation_targets/test_access_rules.py", "tests/events/test_permissions.py",
        "tests/sharing/test_organizer_rights.py", "tests/sharing/test_organizers.py",
    ],
    CLAIMS: [
        "tests/mutation_targets/test_claim_leases.py", "tests/recognition/test_ingest_claims.py",
        "tests/recognition/test_ingest_reconcile.py",
    ],
    "sharing/services/access.py": [
        "tests/mutation_targets/test_guest_access.py", "tests/mutation_targets/test_pin_answers.py",
        "tests/sharing/test_pin_limits.py",
        "tests/sharing/test_share_links_api.py", "tests/abuse/test_guest_links.py",
    ],
    "recognition/search.py": [
        "tests/mutation_targets/test_search_rules.py", "tests/recognition/test_search_index.py",
        "tests/recognition/test_match_confidence.py",
    ],
}

# The bounded slice .ci/run checks on every run: a fixed sample of the most critical module's mutants.
CI_MODULE = "core/idempotency.py"
CI_SAMPLE = 30
CI_SEED = 22
