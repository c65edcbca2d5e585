"""Renderers: each turns a document (or, for JSON, model objects) into a string; none prints."""
