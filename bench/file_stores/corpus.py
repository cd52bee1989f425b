"""The file-store benchmark's corpus: N files of mixed types, a third each
plain text (.txt), PDF (.pdf) and Word (.docx), sizes log-uniform from 10 KB
to 1 MB, in 100 folders f00..f99. Like real office files, a PDF or DOCX is
mostly not text: up to 40 KB of words (about a fifth of the file), the rest an
embedded picture of incompressible bytes. Everything is a function of (N, i):
the same N gives the same bytes. Standard library only.

  corpus.py DIR N     writes DIR/fNN/doc-<i>.<ext> and DIR/manifest.tsv (path, type, bytes)
"""
import io, os, random, sys, zipfile, zlib

WORDS = ("search connector index document shard replica mapping analyzer token query filter bucket "
         "container share object blob sync schedule pipeline extraction content metadata field vector "
         "cluster node heartbeat cursor batch retry timeout").split()


def words(rng, nbytes):
    out, n = [], 0
    while n < nbytes:
        w = rng.choice(WORDS)
        out.append(w)
        n += len(w) + 1
    return out


def lines(ws, per=12):
    return [" ".join(ws[i:i + per]) for i in range(0, len(ws), per)]


def pdf(rng, size):
    text = lines(words(rng, min(40_000, size // 5)))
    pages = [text[i:i + 50] for i in range(0, len(text), 50)] or [[]]
    objs = []  # bodies of objects 1..n

    def add(body):
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pad = max(0, size - 400 * len(pages) - sum(len(l) + 8 for p in pages for l in p) - 600)
    image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (max(pad, 1), max(pad, 1))
                + rng.randbytes(max(pad, 1)) + b"\nendstream")
    pages_id = len(objs) + 2 * len(pages) + 1
    kids = []
    for p in pages:
        ops = b"BT /F1 10 Tf 50 780 Td 12 TL\n" + b"".join(
            b"(" + l.encode() + b") Tj T*\n" for l in p) + b"ET\nq 500 0 0 1 50 20 cm /Im1 Do Q\n"
        data = zlib.compress(ops)
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                        % (pages_id, content, font, image)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref))
    return out.getvalue()


def docx(rng, size):
    paras = "".join(f"<w:p><w:r><w:t>{l}</w:t></w:r></w:p>" for l in lines(words(rng, min(40_000, size // 5))))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId2" Type="{rel}/image" Target="media/image1.png"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{paras}</w:body></w:document>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, xml)
        used = out.tell() + 200
        z.writestr(zipfile.ZipInfo("word/media/image1.png"), rng.randbytes(max(1, size - used)),
                   compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def txt(rng, size):
    return "\n".join(lines(words(rng, size))).encode()[:size]


def main():
    root, n = sys.argv[1], int(sys.argv[2])
    kinds = (("txt", txt), ("pdf", pdf), ("docx", docx))
    with open(os.path.join(root, "manifest.tsv.tmp"), "w") as manifest:
        for i in range(n):
            rng = random.Random(f"{n}:{i}")
            ext, make = kinds[i % 3]
            size = int(10_000 * 100 ** rng.random())  # log-uniform 10 KB .. 1 MB
            data = make(rng, size)
            rel = f"f{i % 100:02d}/doc-{i:05d}.{ext}"
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(root, rel), "wb") as f:
                f.write(data)
            manifest.write(f"{rel}\t{ext}\t{len(data)}\n")
    os.replace(os.path.join(root, "manifest.tsv.tmp"), os.path.join(root, "manifest.tsv"))


main()
