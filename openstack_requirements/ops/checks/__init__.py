"""Check plugins: every rule of the requirements contract.

See :mod:`.base` for the plugin contract and the runner, :mod:`.context`
for what a check reads. The rules, by what they check: :mod:`.project`
(a project's requirements against the data), :mod:`.data` (the
governance data itself), :mod:`.guidelines` (the global list's review
guidelines), :mod:`.resolver` (the pins install together),
:mod:`.distro` (minimums the distributions package). :mod:`.lint` keeps
the global list tidy; :mod:`.job` is Zuul's requirements-check job.
"""
