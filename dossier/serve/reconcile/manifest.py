"""The reconciliation service manifest, naming the configured address."""

from __future__ import annotations

from .entities import ID_SPACE, SCHEMA_SPACE, TYPES


def manifest(base: str) -> dict:
    """The service manifest; ``base`` is this server's URL, ending in '/'."""
    service = base + "reconcile"
    return {
        "versions": ["0.2"],
        "name": "Dossier entities (organizations, people, places, events)",
        "identifierSpace": ID_SPACE,
        "schemaSpace": SCHEMA_SPACE,
        "documentation": base + "search",
        "defaultTypes": [{"id": t, "name": t} for t in TYPES],
        "view": {"url": base + "id/{{id}}"},
        "preview": {"url": service + "/preview?id={{id}}", "width": 420, "height": 140},
        "suggest": {
            "entity": {"service_url": service, "service_path": "/suggest/entity"},
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/extend/propose"},
            "property_settings": [],
        },
    }
