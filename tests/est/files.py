"""Files of the EST done-when (issue 14): a week of partners' observations and an agreement with
3 problems, 2 promises and 4 actions — and their broken variants."""

from __future__ import annotations

from pathlib import Path

WEEK = "2026-W14"  # 30 March – 5 April 2026
TODAY = "2026-04-08"

OBSERVATIONS = """Datum;Kategori;Organisation;Roll;lat;lon;Område;Plats;Kommun;Beskrivning
2026-03-30;klotter;Svenska Bostäder;fastighetsvärd;59,3886;17,9270;;;;Klotter på gavel vid Rinkeby torg
2026-03-31;trasig belysning;Stockholms stad;trafikkontoret;;;74;Gångtunnel vid Rinkebystråket;;Tre armaturer släckta
2026-04-01;ansamling ungdomar;Securitas;väktare;59,3893;17,9241;;;;Ett tjugotal ungdomar kväll
2026-04-02;nedskräpning;Stockholms stad;fältassistent;;;Rinkeby;;;Vid skolans baksida
2026-04-03;otrygg plats;Rinkebyskolan;rektor;;;;Parkeringen vid Skolgången;0180;Föräldrar oroliga
2026-04-04;narkotikahandel observerad;Polisen;kommunpolis;59,3879;17,9302;;;;Överlämningar vid busshållplatsen
"""

LEDGER = """Typ;Id;Tillhör;Kommun;Titel;Beskrivning;Områden;Plats;Indikatorer;Ansvarig;Organisation;Förfallodatum;Status;Klart;Från;Till;Intern
överenskommelse;A1;;0180;Samverkansöverenskommelse Rinkeby-Kista 2026;Polis och stadsdel;74;;;;;;;;2026-T1;2026-T3;nej
problem;P1;A1;0180;Öppen narkotikahandel vid torget;Handel kvällstid;74;Rinkeby torg;narkotikabrott;;;;;;;;nej
problem;P2;A1;0180;Otrygghet vid tunnelbanan;Boende undviker uppgången;74;Rinkeby T-bana;ran;;;;;;;;nej
problem;P3;A1;0180;Nedskräpning och klotter;Förfall i centrum;74;;;;;;;;;;nej
löfte;L1;P1;0180;Vi ska minska den öppna narkotikahandeln vid torget;Medborgarlöfte;74;;narkotikabrott;;;;;;;;nej
löfte;L2;P3;0180;Vi ska hålla centrum rent och upplyst;Medborgarlöfte;74;;;;;;;;;;nej
åtgärd;H1;L1;0180;Riktade kontroller fredagar;;74;Rinkeby torg;;Kommunpolis Andersson;Polisen;2026-03-31;klar;2026-03-27;;;nej
åtgärd;H2;L1;0180;Kameraövervakning torget;;74;Rinkeby torg;;Stadsdelschef;Stockholms stad;2026-04-30;pågående;;;;nej
åtgärd;H3;L2;0180;Byta belysning i gångtunneln;;74;Gångtunnel;;Trafikkontoret;Stockholms stad;2026-04-10;planerad;;;;nej
åtgärd;H4;L2;0180;Klottersanering inom 24 timmar;Intern: avtal med entreprenör;74;;;Fastighetsvärd;Svenska Bostäder;2026-04-20;klar;2026-04-02;;;ja
"""


def write(tmp: Path, name: str, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp / name
    path.write_bytes(text.encode(encoding))
    return path


def observations(tmp: Path, text: str = OBSERVATIONS, name: str = "observationer_v14.csv") -> Path:
    return write(tmp, name, text)


def ledger(tmp: Path, text: str = LEDGER, name: str = "overenskommelse.csv") -> Path:
    return write(tmp, name, text)
