"""`make bench`: a synthetic archive, the site under gunicorn, and the figures it serves."""
