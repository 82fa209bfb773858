"""Operations, grouped by the job a user runs; the plumbing they share on top.

Plumbing: :mod:`.files` (reading, and the one atomic writer), :mod:`.data`
(where the governance data files are), :mod:`.git`, :mod:`.findings` (the
one finding type). Jobs:

* :mod:`.project`: a project tree's dependency files, read losslessly,
  and the one way commands select projects;
* :mod:`.sync`: update-requirements (the merge policy, one line, one
  entry, one source, a whole run; committing; normalizing a file);
* :mod:`.constraints`: upper constraints (pins, comparing and editing
  them, generating them; the resolver plugins in ``resolvers/``, the
  bounded reading of a package index in ``metadata/``);
* :mod:`.checks`: the check plugins and their runner (project, data,
  guidelines, resolver, distro, lint, the Zuul job);
* :mod:`.reports`: what reads many projects or the data to report on it
  (impact, usage, unused, what-broke, Zuul configurations);
* :mod:`.distro`: what the distributions package.

Imports go one way: the model <- the plumbing <- the jobs <- the cli.
"""
