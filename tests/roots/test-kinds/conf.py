project = "Kinds of entry"
extensions = ["myst_parser", "edition"]
exclude_patterns = ["_build"]
edition_texts = ["tei/letter.xml"]
edition_registers = ["tei/events.xml"]

# the README's example ("A kind of register entry")
edition_kinds = [
    {"name": "event", "elements": ["event"], "entry_names": ["eventName", "label"], "rs_types": ["event"],
     "folder": "events", "singular": "event", "plural": "events"},
]
