"""What the distributions package: Debian package indexes read, their
versions compared with the global list and the constraints.

:mod:`.indexes` reads an index (uncompressed by :mod:`.compression`);
:mod:`.debian` compares Debian versions as dpkg does;
:mod:`.names` maps a PyPI name to the Debian package names to look for;
:mod:`.releases` groups indexes into releases and finds a package in one;
:mod:`.status` sets each governed package beside its Debian versions.
"""
