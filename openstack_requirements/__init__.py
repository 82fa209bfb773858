"""Requirements governance toolkit for Python projects."""
