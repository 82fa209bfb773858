"""Check plugins: every rule of the requirements contract.

See :mod:`openstack_requirements.ops.checks.base` for the plugin contract
and the runner.
"""
