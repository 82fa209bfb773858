"""Reports over many projects or the data: :mod:`.impact` (what a change
to the data does to every project), :mod:`.usage` (who declares a
package), :mod:`.unused` (global requirements nobody declares),
:mod:`.whatbroke` (new releases against the constraints), :mod:`.zuul`
(which projects run the requirements check), :mod:`.health` (the state
of the governed packages on their index)."""
