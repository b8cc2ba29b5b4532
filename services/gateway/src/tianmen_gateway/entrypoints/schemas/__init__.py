"""The gateway's own bodies: views it composes from several services.

Everything else the gateway publishes is the owning service's contract, imported from its
`entrypoints.schemas` (and `tianmen_runtime` for Problem, Page and StateDigest): one definition,
so the public API cannot drift from what the services answer.
"""
