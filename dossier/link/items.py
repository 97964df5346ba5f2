"""Reading a Wikidata item's record (label, aliases, description, P31) and checking its type."""

from __future__ import annotations


# "instance of" (P31) values that fit each registry type. A candidate whose P31 includes none of
# them is not rejected, only flagged for the reviewer; a human (Q5) for a non-Person, or a
# non-human for a Person, is a mismatch.
HUMAN = "Q5"
DISAMBIGUATION = "Q4167410"
EXPECTED_P31: dict[str, set[str]] = {
    "Person": {HUMAN},
    "Organization": {
        "Q43229", "Q7278", "Q163740", "Q4830453", "Q327333", "Q2659904", "Q7210356", "Q17127659",
        "Q1331793", "Q11032", "Q192283", "Q1002697", "Q484652", "Q245065", "Q31855", "Q6881511",
        "Q15911314", "Q176799", "Q11691", "Q35535", "Q1752346",
    },
    "Place": {"Q6256", "Q3624078", "Q515", "Q5119", "Q1549591", "Q486972", "Q1637706", "Q7930989", "Q2221906"},
    "Event": {"Q1190554", "Q198", "Q178561", "Q645883", "Q2223653", "Q7283", "Q124734", "Q3882219",
              "Q1656682", "Q131569", "Q744913", "Q10931", "Q273120", "Q686822", "Q820655"},
}


def label_of(record: dict) -> str:
    return record.get("labels", {}).get("en", {}).get("value", "")


def aliases_of(record: dict) -> list[str]:
    return [a.get("value", "") for a in record.get("aliases", {}).get("en", [])]


def description_of(record: dict) -> str:
    return record.get("descriptions", {}).get("en", {}).get("value", "")


def instance_of(record: dict) -> list[str]:
    """The QIDs of the item's P31 ("instance of") statements."""
    out = []
    for claim in record.get("claims", {}).get("P31", []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value", {})
        if isinstance(value, dict) and value.get("id"):
            out.append(value["id"])
    return out


def type_check(entity_type: str, p31: list[str]) -> str:
    """'ok', 'mismatch' or 'unverified' for a candidate's P31 against the registry type."""
    if DISAMBIGUATION in p31:
        return "mismatch"
    if entity_type == "Person":
        return "ok" if HUMAN in p31 else "mismatch"
    if HUMAN in p31:
        return "mismatch"
    return "ok" if set(p31) & EXPECTED_P31.get(entity_type, set()) else "unverified"
