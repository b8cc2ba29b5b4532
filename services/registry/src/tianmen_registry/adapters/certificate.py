"""The registration certificate: one A5 page with the machine's particulars and a QR code that
leads to the public verification page (reportlab, its CID font for the Chinese text)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A5, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

CJK = "STSong-Light"
LINES = (
    ("登记编号 Registration No.", "registration_number"),
    ("机械类别 Kind", "kind"),
    ("品牌 Brand", "brand"),
    ("型号 Model", "model"),
    ("出厂编号 Serial No.", "serial_number"),
    ("发动机号 Engine No.", "engine_number"),
    ("环保编码 NRMM code", "environmental_code"),
    ("下次年审 Next review", "next_review_due"),
)


def verification_url(base: str, registration_number: str) -> str:
    return f"{base.rstrip('/')}/{registration_number}"


def certificate_pdf(machine: dict[str, Any], owner_name: str, verify_base: str) -> bytes:
    if CJK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK))
    out = io.BytesIO()
    width, height = landscape(A5)
    page = Canvas(out, pagesize=(width, height), pageCompression=0)
    page.setTitle(f"Registration certificate {machine['registration_number']}")
    page.setFont(CJK, 18)
    page.drawString(40, height - 50, "天门市工程机械登记证")
    page.setFont(CJK, 11)
    page.drawString(40, height - 75, f"所有人 Owner: {owner_name}")
    for row, (label, key) in enumerate(LINES):
        y = height - 105 - row * 22
        page.setFont(CJK, 10)
        page.drawString(40, y, label)
        page.setFont("Helvetica", 11)
        page.drawString(210, y, str(machine.get(key) or "-"))
    _qr(page, verification_url(verify_base, str(machine["registration_number"])), width - 170, 60)
    page.showPage()
    page.save()
    return out.getvalue()


def _qr(page: Canvas, url: str, x: float, y: float, size: float = 130) -> None:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, page, x, y)
