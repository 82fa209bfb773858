"""Sphinx configuration of the openstack-requirements documentation."""

project = 'openstack-requirements'
copyright = 'openstack-requirements developers'  # noqa: A001 (Sphinx's name)
author = 'openstack-requirements developers'

extensions = [
    # The command reference comes from the commands' own parsers, so the
    # help text and this documentation cannot drift apart.
    'cliff.sphinxext',
]

autoprogram_cliff_application = 'openstack-requirements'
autoprogram_cliff_ignored = ['--help']

root_doc = 'index'
exclude_patterns: list[str] = []
html_theme = 'alabaster'
html_static_path: list[str] = []
html_title = 'openstack-requirements'
