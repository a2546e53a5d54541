"""Data protection: keyed pseudonyms shared with dbt, and erasure on request (GDPR art. 17)."""
