"""Fault drills (issue 12, part 4): each runs the real server under load while something
fails on purpose, then proves from the database what held. One command each:
`python -m bench.drills.<name>`; see bench/README.md, "Fault drills"."""
