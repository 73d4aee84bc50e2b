"""`python -m rasd ...`: the same as the `rasd` command (for a venv whose scripts are not on PATH)."""

from rasd.cli import main

if __name__ == "__main__":
    main()
