"""Site families: thin. Each module is one `extract(url, body, source) -> Extraction` for a family
of sites that share a CMS or a format: it finds the content root (the family's layouts), tells
a listing from an article, and hands the page to the fact rules (`extractors/facts/`)."""
