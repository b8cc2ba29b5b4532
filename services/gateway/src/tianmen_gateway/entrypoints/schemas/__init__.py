"""Typed bodies of the public API, mirroring the owning services' contracts.

The gateway checks shape (types, required fields, enums); the owning service is the authority
on content rules and its refusals pass through unchanged.
"""
