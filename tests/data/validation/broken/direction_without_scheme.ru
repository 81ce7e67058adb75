# A policy direction outside its plan's scheme: only a warning.
BASE <https://w3id.org/policykg/id/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
DELETE DATA { <hokkaido/direction/hokkaido-dir-1d> skos:inScheme <hokkaido/plan> }
