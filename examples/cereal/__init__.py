"""The cereal project: fetch a published cereal table, clean it, load it, report on it."""
