"""Release: versioned, validated Frictionless packages and what stands around them (descriptor,
formats, DCAT, README/CHANGES/CITATION, the data dictionary, the catalogue page, retention)."""
