"""The notes stage: one or two English sentences per event in the ACLED style, generated
deterministically from the event's fields and the attribution chain.

    On 19 May 2019, Unidentified Armed Group (Iraq) carried out a shelling/missile attack in
    Green Zone, Baghdad. No casualties were reported. Reported by Reuters (citing two
    diplomatic sources), RT (citing unnamed sources) and Iraqi Security Media Cell.
"""

from __future__ import annotations

from datetime import date

from rasd.doc import Attribution, Doc, Event
from rasd.pipeline import stage

# What happened, by sub-event type: a verb phrase after the actor, and a noun phrase for
# sentences without an actor. Kept here (not in a lexicon) because it is English output text.
_PHRASES: dict[str, tuple[str, str]] = {
    "Armed clash": ("clashed with", "an armed clash"),
    "Government regains territory": ("regained territory from", "a government recapture of territory"),
    "Non-state actor overtakes territory": ("took territory from", "a seizure of territory"),
    "Air/drone strike": ("carried out an air strike on", "an air strike"),
    "Shelling/artillery/missile attack": ("shelled", "a shelling/missile attack"),
    "Suicide bomb": ("carried out a suicide bombing against", "a suicide bombing"),
    "Remote explosive/landmine/IED": ("detonated an explosive device against", "an explosive device attack"),
    "Grenade": ("threw a grenade at", "a grenade attack"),
    "Chemical weapon": ("used chemical weapons against", "a chemical weapon attack"),
    "Attack": ("attacked", "an attack"),
    "Abduction/forced disappearance": ("abducted", "an abduction"),
    "Sexual violence": ("committed sexual violence against", "sexual violence"),
    "Peaceful protest": ("protested against", "a peaceful protest"),
    "Protest with intervention": ("protested and were dispersed by", "a protest with intervention"),
    "Excessive force against protesters": ("used excessive force against", "excessive force against protesters"),
    "Violent demonstration": ("rioted against", "a violent demonstration"),
    "Mob violence": ("attacked", "mob violence"),
    "Arrests": ("arrested", "arrests"),
    "Disrupted weapons use": ("seized weapons or explosives of", "a seizure of weapons or explosives"),
}
_MONTHS = ("January February March April May June July August September October November December").split()


def _day(value: str | None) -> str:
    if not value:
        return ""
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return ""
    return f"On {d.day} {_MONTHS[d.month - 1]} {d.year}, "


def _place(event: Event) -> str:
    loc = event.location
    if loc is None:
        return ""
    name = loc.name_en or loc.name
    parts = [name] + [p for p in (loc.admin1,) if p and p not in name]
    prefix = "near " if loc.geo_precision == 2 else "in "
    return prefix + ", ".join(parts)


def _what(event: Event) -> str:
    verb, noun = _PHRASES.get(event.sub_event_type, ("acted against", event.sub_event_type.lower()))
    place = _place(event)
    if event.actor1 and event.actor2:
        sentence = f"{event.actor1} {verb} {event.actor2}"
    else:
        sentence = f"{noun} by {event.actor1}" if event.actor1 else noun
        sentence = f"there was {sentence}" if _day(event.date) else sentence
    return f"{sentence} {place}".strip() + "."


def _toll(event: Event) -> str:
    if event.fatalities is None:
        return "Fatalities were reported without a figure."
    if event.fatalities:
        killed = f"{event.fatalities} {'person was' if event.fatalities == 1 else 'people were'} killed"
        if event.injuries:
            return f"{killed} and {event.injuries} injured."
        return killed[0].upper() + killed[1:] + "."
    if event.injuries:
        return f"{event.injuries} {'person was' if event.injuries == 1 else 'people were'} injured."
    if event.is_violent:
        return "No casualties were reported."
    return ""


def _sources(event: Event, by_id: dict[str, Attribution]) -> str:
    seen: dict[str, list[str]] = {}
    for attribution_id in event.attribution_ids:
        a = by_id.get(attribution_id)
        if a is None or a.kind == "generic" or not a.source:
            continue
        via = seen.setdefault(a.source, [])
        via.extend(v for v in a.via if v not in via)
    if not seen:
        return ""
    items = [f"{name} (citing {', '.join(v.lower() if v[0].isupper() and v.split()[0] in _DESCRIPTIVE else v for v in via)})"
             if via else name for name, via in seen.items()]
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return f"Reported by {joined}."


# Descriptions (not names) are written in lower case inside a sentence: "citing two diplomatic sources".
_DESCRIPTIVE = frozenset({"Two", "Unnamed", "Security", "Medical", "Local", "Military", "Diplomatic",
                          "Officials", "Government", "Tribal", "Intelligence", "Witnesses", "News", "Media"})


def write_note(event: Event, by_id: dict[str, Attribution]) -> str:
    """The note of one event: what, where and when; the toll; who reported it."""
    first = _day(event.date) + _what(event)
    first = first[0].upper() + first[1:]
    return " ".join(part for part in (first, _toll(event), _sources(event, by_id)) if part)


@stage("notes")
class NoteWriter:
    name = "notes"
    requires = ("events", "attributions")
    assigns = ("notes",)

    def __call__(self, doc: Doc) -> Doc:
        by_id = {a.id: a for a in doc.attributions}
        for event in doc.events:
            event.notes = write_note(event, by_id)
        return doc
