"""Prefect flows: they arrange the library's stages, add retries, events and artifacts."""
