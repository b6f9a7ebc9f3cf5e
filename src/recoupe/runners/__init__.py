"""Runners decide where per-document work runs; the work itself is the same everywhere."""
