"""`python -m audiotui` behaves exactly like the `audiotui` command."""

from audiotui.cli import main

if __name__ == "__main__":
    main()
