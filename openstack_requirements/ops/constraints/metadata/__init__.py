"""What a package index serves, read as untrusted input: its pages
(PEP 691 JSON, PEP 503 HTML), the metadata of its files (``.metadata``
files, a wheel's METADATA, an sdist's PKG-INFO) and the on-disk store of
what was read, every read bounded in bytes, memory and time
(:mod:`.bounds`). The resolvers (:mod:`..resolvers`) and impact read
indexes through :class:`.index.Index`, and nothing else does."""
