"""The `--format pretty` terminal view of one analysis (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from rasd.doc import Doc

_console = Console()


def print_doc(doc: Doc, explain: bool = False) -> None:
    _console.rule(f"[bold]{doc.id}")
    _console.print(f"[bold]{doc.title}[/bold]")
    meta = " · ".join(x for x in (doc.source, doc.published, doc.url) if x)
    if meta:
        _console.print(f"[dim]{meta}[/dim]")
    _console.print(f"[dim]{len(doc.body.split())} words, {len(doc.sentences)} sentences[/dim]")
    if doc.entities:
        table = Table("Arabic", "English", "type", "kind / place", title="Entities", title_justify="left")
        for e in doc.entities:
            where = ""
            if e.place is not None:
                where = ", ".join(str(x) for x in (e.place.admin1, e.place.country) if x)
                where += f" ({e.place.lat:.3f}, {e.place.lon:.3f})" if e.place.lat is not None else ""
            table.add_row(e.text, e.name_en or "", e.type, where or (e.kind or ""))
        _console.print(table)
    for event in doc.events:
        loc = event.location
        place = f"{loc.name_en or loc.name} ({loc.admin1 or ''} {loc.country or ''}, precision {loc.geo_precision})" if loc else "?"
        _console.print(f"[bold red]{event.event_type}[/bold red] / {event.sub_event_type} [{event.modality}]")
        _console.print(f"  where: {place}   when: {event.date or 'unknown'}   killed: {event.fatalities}")
        _console.print(f"  actors: {event.actor1 or '-'} → {event.actor2 or '-'}   sources: {', '.join(event.sources) or '-'}")
        if event.notes:
            _console.print(f"  [italic]{event.notes}[/italic]")
        _console.print(f"  evidence: «{event.evidence.text}» [{event.evidence.start}:{event.evidence.end}]")
    if not doc.events:
        _console.print("[dim]no events[/dim]")
    if explain and doc.dropped:
        table = Table("dropped line", "rule", "why", title="Cleaning", title_justify="left")
        for d in doc.dropped:
            table.add_row(d.line[:80], d.rule, d.reason)
        _console.print(table)
