"""Dossier: a sourced knowledge graph of organizations, designations, events and statements."""

__version__ = "0.1.0"
