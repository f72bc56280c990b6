"""The curated datasets (a Frictionless Data Package), installed as rwanda_edu.data."""
