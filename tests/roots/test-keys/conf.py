project = "Keys, ids, dates and names of no kind"
extensions = ["myst_parser", "edition"]
exclude_patterns = ["_build"]
edition_texts = ["tei/letter.xml"]
edition_registers = ["tei/places.xml", "tei/persons.xml"]
