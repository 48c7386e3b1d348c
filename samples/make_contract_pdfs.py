"""Write the demo's contract PDFs (`samples/pdfs/`), laid out as the real Klimatkontrakt 2030
documents are: a cover with the version and the parties ("Mellan X kommun och myndigheterna ...
samt Viable Cities.") and the signatories in two columns, a table of contents, numbered sections
(the municipality's targets in section 3, Viable Cities' commitments in 4, the agencies' in 5), a
running header and a page-number footer, a footnote mark glued to a word and words hyphenated at
line ends. The wording is ours; the municipality's targets are invented.

Also the hostile PDFs of the crawler drills (`hostile_pdfs`): encrypted, malformed, image-only,
a decompression bomb and deeply nested objects, written in code so none is committed.

Run: uv run python samples/make_contract_pdfs.py   (then samples/build_archive.py)
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
OUT = HERE / "pdfs"
CREATED = datetime(2023, 12, 1, 9, 0, tzinfo=UTC)  # fixed, so rebuilding is reproducible
SHY = "\u00ad"  # a soft hyphen: fpdf2 breaks a long word there and prints a hyphen

ESKILSTUNA_2023 = {
    "file": "eskilstuna-klimatkontrakt-2023.pdf",
    "municipality": "Eskilstuna kommun",
    "version": "VERSION 2023",
    "agencies": "Energimyndigheten, Formas, Naturvårdsverket, Tillväxtverket, Trafikverket, Vinnova",
    "sections": [
        ("1", "Syftet med Klimatkontrakt 2030",
         "Kontraktet ska öka takten i kommunens klimat" + SHY + "omställning och göra det lättare för staten "
         "och kommunen att arbeta åt samma håll. Parterna ser kontraktet som ett levande dokument som "
         "revideras varje år."),
        ("2", "Parter",
         "Parterna är Eskilstuna kommun, de sex myndigheter som anges på första sidan samt det strategiska "
         "innovations" + SHY + "programmet Viable Cities."),
        ("3", "Kommunens åtaganden",
         "I detta avsnitt beskriver kommunen sina mål och hur arbetet med dem är förankrat."),
        ("3.1", "Kommunens klimatmål",
         "Eskilstuna kommun ska vara klimatneutral senast 2030. Utsläppen av växthusgaser inom kommunens "
         "geografiska område ska till 2025 ha minskat med 70 procent jämfört med 1990 års nivå.1 "
         "Kommunkoncernens egna transporter ska vara fossilfria 2025."),
        ("3.2", "Politisk förankring",
         "Målen antogs av kommunfullmäktige i juni 2022 och följs upp i kommunens årsredovisning. "
         "Kommunstyrelsen ansvarar för att samordna arbetet mellan förvaltningarna och de kommunala "
         "bolagen."),
        ("3.3", "Samverkan med näringsliv, akademi och medborgare",
         "Kommunen bjuder in företag, Mälardalens universitet och föreningar till ett gemensamt "
         "klimat" + SHY + "löfte och samlar dem två gånger om året för att följa upp åtgärderna."),
        ("4", "Viable Cities åtaganden",
         "Viable Cities samordnar satsningen Klimatneutrala städer 2030 och driver det gemensamma "
         "lärandet mellan kommunerna."),
        ("4.1", "Stöd till kommunernas omställning",
         "Programmet erbjuder metodstöd för klimatinvesteringsplaner, ordnar nätverksträffar och sprider "
         "erfarenheter från kommunerna till myndigheterna."),
        ("5", "Myndigheternas åtaganden",
         "Myndigheterna åtar sig att inom ramen för sina uppdrag underlätta kommunernas arbete."),
        ("5.1", "Lärande arbetssätt för policyutveckling",
         "Myndigheterna ska tillsammans med kommunerna pröva hur regelverk och styrmedel kan utvecklas "
         "och återkoppla vad de lär sig till regeringen."),
        ("5.2", "Samordnad finansiering",
         "Myndigheterna samordnar sina utlysningar så att kommunerna lättare kan kombinera stöd från "
         "flera håll till samma investering."),
        ("6", "Gemensamt arbete kring uppföljning",
         "Parterna följer varje år upp kontraktet och reviderar det inför European Viable Cities Day."),
    ],
    "footnotes": {"3.1": "1 Enligt den nationella emissionsdatabasen, territoriella utsläpp."},
}


class _ContractPdf(FPDF):
    def __init__(self, running: str):
        super().__init__(format="A4")
        self.running = running
        self.set_creation_date(CREATED)
        self.set_auto_page_break(True, margin=25)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, self.running, align="L")
        self.ln(12)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, str(self.page_no()), align="C")


def contract_pdf(spec: dict) -> bytes:
    """One contract document as PDF bytes: laid out twice, the second time with the contents'
    page numbers that the first gave."""
    pages_of: dict[str, int] = {}
    _render(spec, pages_of)
    return bytes(_render(spec, pages_of).output())


def _render(spec: dict, pages_of: dict[str, int]) -> FPDF:
    pdf = _ContractPdf(f"Klimatkontrakt 2030 - {spec['municipality']}     {spec['version']}")
    pdf.set_title(f"Klimatkontrakt 2030 {spec['municipality']} {spec['version'].split()[-1]}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 10, spec["version"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 28)
    pdf.cell(0, 30, "Klimatkontrakt 2030", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=13)
    pdf.multi_cell(0, 7, f"Mellan {spec['municipality']} och myndigheterna\n{spec['agencies']} samt Viable Cities.")
    # the signatories in two columns
    pdf.ln(30)
    top = pdf.get_y()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(85, 6, f"För kommunen\n{spec['municipality']}\nKommunstyrelsens ordförande")
    pdf.set_xy(110, top)
    pdf.multi_cell(85, 6, "För myndigheterna och programmet\nGeneraldirektörerna\nViable Cities programchef")

    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, "Innehåll", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for number, title, _ in spec["sections"]:
        pdf.cell(0, 6, f"{number}. {title} {pages_of.get(number, 0)}", new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    for number, title, text in spec["sections"]:
        if "." not in number and number not in ("1",) and pdf.get_y() > 200:
            pdf.add_page()
        pdf.set_font("Helvetica", "B", 13 if "." not in number else 11)
        pdf.ln(3)
        pages_of[number] = pdf.page_no()
        pdf.cell(0, 8, f"{number}. {title}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 5.5, text)
        pdf.ln(2)
        note = spec.get("footnotes", {}).get(number)
        if note:
            pdf.set_font("Helvetica", size=7.5)
            pdf.multi_cell(0, 4, note)
    return pdf


# ---------------------------------------------------------------- hostile PDFs, for the drills

def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered objects with a correct cross-reference table (object 1 the catalogue)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


def _one_page(content: bytes, resources: bytes = b"<< >>") -> list[bytes]:
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 4 0 R >>" % resources,
            content]


def hostile_pdfs() -> dict[str, bytes]:
    """name -> bytes of PDFs a crawler must survive: each should be recorded as unreadable."""
    import io

    from pypdf import PdfWriter

    encrypted = io.BytesIO()
    writer = PdfWriter(clone_from=io.BytesIO(contract_pdf(ESKILSTUNA_2023)))
    writer.encrypt(user_password="hemligt", owner_password="hemligt", algorithm="AES-128")
    writer.write(encrypted)
    bomb = _stream(b"0 0 m " * (200 * 1024 * 1024 // 6))  # 200 MB of path operators in a ~200 KB stream
    nested = b"<< /A " * 5000 + b"1" + b" >>" * 5000
    image = _stream(b"\x80" * (600 * 400), b"/Type /XObject /Subtype /Image /Width 600 /Height 400 "
                    b"/ColorSpace /DeviceGray /BitsPerComponent 8 ")
    return {
        "encrypted": encrypted.getvalue(),
        "malformed": b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R\nthis is not a PDF at all \x00\xff" * 50,
        "image-only": _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
                            _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"), image]),
        "bomb": _pdf(_one_page(bomb)),
        "nested": _pdf(_one_page(_stream(b"BT /F1 12 Tf (x) Tj ET"), b"<< /Font << /F1 " + nested + b" >> >>")),
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for spec in (ESKILSTUNA_2023,):
        path = OUT / spec["file"]
        path.write_bytes(contract_pdf(spec))
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
