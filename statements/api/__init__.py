"""The read-only open data API under /api/v1/, documented in docs/api.md.

Only published statements appear anywhere in it: in lists, in nested replies and in counts.
"""
