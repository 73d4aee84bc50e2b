"""`rasd gazetteer`: look place names up, and build a full gazetteer from GeoNames dumps."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click


@click.group()
def gazetteer() -> None:
    """Place names: lookup, and building a bigger gazetteer.

    \b
    rasd ships a compact gazetteer (GeoNames towns with Arabic names, every town of the
    Middle East, governorates, landmarks). Use your own, e.g. one built from the full
    GeoNames dump, with $RASD_GAZETTEER=FILE or --gazetteer FILE.

    \b
    Examples:
      rasd gazetteer lookup الموصل
      rasd gazetteer lookup صور --country OM        context: the article is about Oman
      rasd gazetteer lookup "محافظة نينوى" --json
      rasd gazetteer build --geonames ~/geonames --out ~/world.tsv.gz
      RASD_GAZETTEER=~/world.tsv.gz rasd analyze article.txt
    """


@gazetteer.command()
@click.argument("name")
@click.option("--country", "countries", multiple=True, metavar="CC",
              help="ISO country code the article mentions (repeatable); ranks that country's places first.")
@click.option("--admin1", "admin1s", multiple=True, metavar="NAME",
              help="Governorate/province the article mentions, English or Arabic (repeatable).")
@click.option("--near", metavar="LAT,LON", help="A place already resolved in the article.")
@click.option("--limit", default=10, show_default=True, help="Candidates to list.")
@click.option("--gazetteer", "path", type=click.Path(exists=True, dir_okay=False),
              help="Gazetteer file to use instead of $RASD_GAZETTEER or the packaged one.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: candidates and the resolved place.")
def lookup(name: str, countries: tuple[str, ...], admin1s: tuple[str, ...], near: str | None, limit: int,
           path: str | None, as_json: bool) -> None:
    """List the places NAME (Arabic or English) can be, best first, and the resolved one.

    \b
    Names are matched after normalisation (hamza, ta marbuta, alef maqsura, diacritics),
    with or without a leading ال; a leading cue word such as محافظة / مدينة / حي / مخيم
    asks for that kind of place. Precision: 1 town or site, 3 governorate/country/region.

    \b
    Examples:
      rasd gazetteer lookup طرابلس --country LB
      rasd gazetteer lookup الرقة
      rasd gazetteer lookup "المنطقة الخضراء"
      rasd gazetteer lookup Mosul
    """
    from rasd.analyze.gazetteer import Gazetteer, ResolveContext, default_gazetteer

    gaz = Gazetteer.load(path) if path else default_gazetteer()
    context = ResolveContext(countries={c.upper() for c in countries}, admin1s=set(admin1s))
    if near:
        try:
            lat, lon = (float(x) for x in near.split(","))
        except ValueError:
            raise click.BadParameter("expected LAT,LON, e.g. 33.3,44.4", param_hint="--near") from None
        context.points.append((lat, lon))
    found = gaz.candidates(name, context)
    place = found[0].to_place(name) if found else None
    if as_json:
        click.echo(json.dumps({
            "name": name,
            "resolved": place.to_dict() if place else None,
            "candidates": [rec.to_place(name).to_dict() for rec in found[:limit]],
        }, ensure_ascii=False, indent=2))
        return
    if not found:
        raise click.ClickException(f"no place named {name!r} in {gaz.path}")
    for i, rec in enumerate(found[:limit], 1):
        where = ", ".join(x for x in (rec.admin1, rec.country) if x)
        pop = f" pop {rec.population:,}" if rec.population else ""
        click.echo(f"{i:2}. {rec.name_en} ({where}) {rec.feature}, precision {rec.geo_precision}, "
                   f"{rec.lat:.4f},{rec.lon:.4f}{pop}  [{rec.id}]")
    if len(found) > limit:
        click.echo(f"    ... {len(found) - limit} more (--limit)")
    assert place is not None
    click.echo(f"resolved: {place.name_en}, {place.admin1 or '-'}, {place.country or '-'} "
               f"({place.lat:.4f}, {place.lon:.4f}) precision {place.geo_precision}")


@gazetteer.command()
@click.option("--geonames", "directory", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder with allCountries.txt or citiesNNNN.txt, alternateNamesV2.txt, admin1CodesASCII.txt.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output file (.tsv.gz or .tsv).")
@click.option("--min-population", default=1000, show_default=True, help="Smallest town kept.")
@click.option("--no-curated", is_flag=True, help="Leave out rasd's curated governorates, landmarks and countries.")
@click.option("--yemen-db", type=click.Path(exists=True, dir_okay=False),
              help="yemen-info.db: add Yemen's districts and uzlahs.")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False),
              help="Arabic news JSONL(.gz) with title/text: flags place names that are common words.")
def build(directory: str, out: str, min_population: int, no_curated: bool, yemen_db: str | None,
          corpus: str | None) -> None:
    """Build a gazetteer from GeoNames dump files, for the whole world.

    \b
    Download from https://download.geonames.org/export/dump/ (CC BY 4.0):
      allCountries.zip (or cities500.zip ...), alternateNamesV2.zip, admin1CodesASCII.txt
    and unzip them into one folder. Towns with population >= --min-population are kept
    when they have an Arabic name or lie in the Middle East (whose villages are kept
    whenever they have an Arabic name); other named features (sites, mountains, camps)
    only with an Arabic name. With --corpus, names of minor places that are frequent
    words in that news text are kept out of the recogniser's index. The full dump takes
    a few minutes and a few GB of memory.

    \b
    Examples:
      rasd gazetteer build --geonames ~/geonames --out ~/world.tsv.gz
      rasd gazetteer build --geonames ~/geonames --out ~/world.tsv.gz --min-population 0
      rasd gazetteer build --geonames ~/geonames --out ~/world.tsv.gz --corpus news.jsonl.gz
      export RASD_GAZETTEER=~/world.tsv.gz
    """
    from rasd.gazetteer_build import build_from_geonames

    start = time.perf_counter()
    try:
        n = build_from_geonames(Path(directory), Path(out), min_population=min_population,
                                curated=not no_curated, yemen_db=Path(yemen_db) if yemen_db else None,
                                corpus=Path(corpus) if corpus else None)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {n:,} places to {out} ({Path(out).stat().st_size:,} bytes) "
               f"in {time.perf_counter() - start:.1f}s")


commands = [gazetteer]
