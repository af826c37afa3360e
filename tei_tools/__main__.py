"""`python -m tei_tools`: the same as the `tei-tools` command."""

from .cli import main

main()
