"""`python -m recoupe` runs the command line."""

from recoupe.cli import main

main()
